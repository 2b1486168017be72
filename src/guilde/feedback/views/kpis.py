"""The KPIs page: cards with trends, charts whose titles state the finding, data tables and CSV."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from guilde.core.viewhelpers import allowed
from guilde.feedback import aggregates, kpis, selectors
from guilde.feedback.enums import SourceChannel

MONTHS = (3, 6, 12)
CARDS = ("received", "processed", "resolved", "declined")


def _months(request: HttpRequest) -> int:
    try:
        value = int(request.GET.get("months", 6))
    except ValueError:
        return 6
    return value if value in MONTHS else 6


def _days(hours: float | None) -> float | None:
    return None if hours is None else round(hours / 24, 1)


def _num(value: Any) -> str:
    return "—" if value is None else formats.number_format(value, use_l10n=True, force_grouping=True)


def _card(key: str, label: str, now: int, before: int, spark: list[int]) -> dict[str, Any]:
    delta = now - before
    percent = round(100 * delta / before) if before else None
    return {
        "key": key,
        "label": label,
        "value": now,
        "before": before,
        "delta": delta,
        "percent": percent,
        "spark": spark,
        "spark_id": f"spark-{key}",
    }


def _source_label(value: str) -> str:
    return str(SourceChannel(value).label) if value in SourceChannel.values else value or _("Unknown")


def build(*, months: int, now: datetime | None = None) -> dict[str, Any]:
    """Cards and chart specs (labels, datasets, a finding as the title, table columns and rows).

    The period is whole days up to yesterday (TIME_ZONE calendar), compared with as many whole
    days before it: the pre-aggregated daily rows answer it alone, at any size of base."""
    now = now or timezone.now()
    days = round(months * 30.44)
    start, end = kpis.whole_days(days=days, now=now)
    previous_start = kpis.whole_days(days=2 * days, now=now)[0]
    data = kpis.kpis(start=start, end=end, period="week", now=now)
    previous = kpis.throughput(start=previous_start, end=start, period="month")
    before = {k: sum(r[k] for r in previous) for k in CARDS}
    totals = {k: sum(r[k] for r in data.series) for k in CARDS}
    labels = {
        "received": _("Received"),
        "processed": _("Processed"),
        "resolved": _("Resolved"),
        "declined": _("Declined"),
    }
    cards = [_card(k, labels[k], totals[k], before[k], [r[k] for r in data.series]) for k in CARDS]

    weeks = [formats.date_format(r["period"], "SHORT_DATE_FORMAT") for r in data.series]
    received, processed = totals["received"], totals["processed"]
    if not received:
        finding = _("No feedback received in this period yet")
    elif processed >= received:
        finding = _("Product kept pace: %(processed)s processed for %(received)s received") % {
            "processed": _num(processed),
            "received": _num(received),
        }
    else:
        finding = _("The backlog grew: %(received)s received, only %(processed)s processed") % {
            "processed": _num(processed),
            "received": _num(received),
        }
    charts: list[dict[str, Any]] = [
        {
            "key": "throughput",
            "title": finding,
            "type": "line",
            "x": _("Week"),
            "y": _("Feedbacks"),
            "labels": weeks,
            "datasets": [
                {"label": str(labels[k]), "data": [r[k] for r in data.series]}
                for k in ("received", "processed", "resolved")
            ],
        }
    ]

    process, resolve = data.time_to_process, data.time_to_resolve
    p50, p90 = _days(process.get("p50")), _days(process.get("p90"))
    lead_finding = (
        _("Half of feedback is processed within %(p50)s days, 90%% within %(p90)s")
        % {"p50": _num(p50), "p90": _num(p90)}
        if p50 is not None
        else _("No feedback processed in this period yet")
    )
    charts.append(
        {
            "key": "lead_time",
            "title": lead_finding,
            "type": "bar",
            "x": _("Step"),
            "y": _("Days"),
            "labels": [str(_("Time to process")), str(_("Time to resolve"))],
            "datasets": [
                {"label": str(_("Median")), "data": [p50, _days(resolve.get("p50"))]},
                {"label": str(_("90th percentile")), "data": [p90, _days(resolve.get("p90"))]},
            ],
        }
    )

    by_source = data.by_source
    top = by_source[0] if by_source else None
    total = sum(r["received"] for r in by_source)
    charts.append(
        {
            "key": "by_source",
            "title": (
                _("Most feedback comes from %(source)s (%(percent)s%%)")
                % {"source": _source_label(top["key"]).lower(), "percent": round(100 * top["received"] / total)}
                if top and total
                else _("No feedback received in this period yet")
            ),
            "type": "bar",
            "horizontal": True,
            "x": _("Feedbacks"),
            "y": _("Source"),
            "labels": [_source_label(r["key"]) for r in by_source],
            "datasets": [
                {"label": str(labels[k]), "data": [r[k] for r in by_source]}
                for k in ("received", "processed", "resolved")
            ],
        }
    )

    by_area = data.by_area
    top_area = next((r for r in by_area if r["key"]), None)
    unassigned = next((r["received"] for r in by_area if not r["key"]), 0)
    area_title = (
        _("%(area)s gets the most feedback (%(count)s)")
        % {"area": top_area["key"], "count": _num(top_area["received"])}
        if top_area
        else _("No feedback has a product area yet")
    )
    if unassigned and top_area:
        area_title += " · " + ngettext("%(count)s without an area", "%(count)s without an area", unassigned) % {
            "count": _num(unassigned)
        }
    charts.append(
        {
            "key": "by_area",
            "title": area_title,
            "type": "bar",
            "horizontal": True,
            "x": _("Feedbacks"),
            "y": _("Product area"),
            "labels": [r["key"] or str(_("No area")) for r in by_area],
            "datasets": [
                {"label": str(labels[k]), "data": [r[k] for r in by_area]}
                for k in ("received", "processed", "resolved")
            ],
        }
    )

    by_team = data.by_team
    top_team = next((r for r in by_team if r["key"]), None)
    charts.append(
        {
            "key": "by_team",
            "title": (
                _("%(team)s files the most feedback (%(count)s)")
                % {"team": top_team["key"], "count": _num(top_team["received"])}
                if top_team
                else _("No submitter has a team yet")
            ),
            "type": "bar",
            "horizontal": True,
            "x": _("Feedbacks"),
            "y": _("Submitter's team"),
            "labels": [r["key"] or str(_("No team")) for r in by_team],
            "datasets": [
                {"label": str(labels[k]), "data": [r[k] for r in by_team]}
                for k in ("received", "processed", "resolved")
            ],
        }
    )

    backlog = data.backlog
    waiting = data.sla_breaches.get("waiting_overdue", 0)
    bucket_labels = [
        str(_("Under a week")),
        str(_("1 week to 1 month")),
        str(_("1 to 3 months")),
        str(_("Over 3 months")),
    ]
    backlog_total = sum(b["count"] for b in backlog)
    charts.append(
        {
            "key": "backlog",
            "title": (
                ngettext(
                    "%(count)s feedback waits longer than the %(days)s-day SLA",
                    "%(count)s feedbacks wait longer than the %(days)s-day SLA",
                    waiting,
                )
                % {"count": _num(waiting), "days": selectors.get_policy().processing_sla_days}
                if waiting
                else (_("Nothing waits longer than the SLA") if backlog_total else _("The backlog is empty"))
            ),
            "type": "bar",
            "x": _("Age"),
            "y": _("Feedbacks waiting"),
            "labels": bucket_labels,
            "datasets": [{"label": str(_("Waiting")), "data": [b["count"] for b in backlog]}],
        }
    )
    for chart in charts:
        chart["data_id"] = f"chart-{chart['key']}-data"
        chart["title"] = str(chart["title"])
        chart["x"], chart["y"] = str(chart["x"]), str(chart["y"])
        chart["columns"] = [chart["y"] if chart.get("horizontal") else chart["x"]] + [
            d["label"] for d in chart["datasets"]
        ]
        chart["rows"] = [[label] + [d["data"][i] for d in chart["datasets"]] for i, label in enumerate(chart["labels"])]
    return {
        "cards": cards,
        "charts": charts,
        "quality": data.quality,
        "sla": data.sla_breaches,
        "time_to_process": process,
        # Dates, not datetimes: the |date filter would show a midnight in the viewer's timezone.
        "start": aggregates.local_day(start),
        "end": aggregates.local_day(end) - timedelta(days=1),
    }


@allowed("feedback.view_kpis")
def kpi_page(request: HttpRequest) -> HttpResponse:
    months = _months(request)
    context = {"months": months, "month_choices": MONTHS, **build(months=months)}
    context["is_empty"] = not any(c["value"] for c in context["cards"]) and not any(
        b for b in context["charts"][-1]["datasets"][0]["data"]
    )
    return render(request, "feedback/kpis.html", context)


@allowed("feedback.view_kpis")
def kpi_csv(request: HttpRequest, chart: str) -> HttpResponse:
    months = _months(request)
    charts = {c["key"]: c for c in build(months=months)["charts"]}
    if chart not in charts:
        raise Http404
    spec = charts[chart]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="feedback-{chart}-{months}m.csv"'
    writer = csv.writer(response)
    writer.writerow(spec["columns"])
    writer.writerows(spec["rows"])
    return response
