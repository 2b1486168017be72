"""The import's fast path (spooled rows, plain-value rows, writer thread, COPY on PostgreSQL) stores
exactly what the services store, keeps the KPI aggregates exact, and stays all-or-nothing."""

import csv
import io
from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from guilde.core.search import ranked_ids
from guilde.feedback import aggregates, imports, services
from guilde.feedback.enums import FeedbackStatus, ImportStatus, SourceChannel
from guilde.feedback.imports import _common as imports_common
from guilde.feedback.imports import validation, writing
from guilde.feedback.models import (
    FEEDBACK_SEARCH_INDEX,
    CustomerAccount,
    Feedback,
    ImportJob,
    KpiLeadTime,
    KpiStat,
    StatusChange,
)
from tests.factories.feedback import CustomerAccountFactory, ProductAreaFactory

pytestmark = pytest.mark.django_db

HEADER = [
    "external_id",
    "title",
    "problem",
    "evidence",
    "links",
    "account",
    "contact_name",
    "impact",
    "product_area",
    "source",
    "language",
    "tags",
    "received_at",
]
#: Columns that differ between two saves of the same feedback, whatever the path.
VOLATILE = {"id", "created_at", "updated_at", "external_id"}


def _upload(rows, header=HEADER):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile("feedback.csv", buffer.getvalue().encode(), content_type="text/csv")


def _import(actor, rows):
    job = imports.create_import_job(actor=actor, file=_upload(rows))
    imports.run_import_job(job_id=job.pk)
    job.refresh_from_db()
    return job


def _columns(feedback):
    return {
        f.attname: getattr(feedback, f.attname) for f in Feedback._meta.concrete_fields if f.attname not in VOLATILE
    }


def _kpi_tables():
    stats = {
        (s.grain, s.day, s.dimension, s.key): tuple(getattr(s, c) for c in aggregates.STAT_COLUMNS)
        for s in KpiStat.objects.all()
        if any(getattr(s, c) for c in aggregates.STAT_COLUMNS)
    }
    leads = {(h.grain, h.day, h.kind, h.bucket): h.count for h in KpiLeadTime.objects.all() if h.count}
    return stats, leads


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of 3 rows: a dozen rows cross several chunks, so several batches go through the writer."""
    monkeypatch.setattr(validation, "CHUNK", 3)


def test_imported_rows_are_the_rows_submit_feedback_stores(pm, small_chunks):
    services.ensure_default_definition()
    billing = ProductAreaFactory(name_en="Billing", name_fr="Facturation")
    acme = CustomerAccountFactory(name="Acme", plan="Enterprise")
    cases = [
        # (csv row, the same feedback through the service)
        (
            [
                "A-1",
                "Invoices",
                "We lose hours: invoices cannot be exported.",
                "“Every month.”",
                "",
                "acme",
                "",
                "high",
                "Facturation",
                "sales_call",
                "fr",
                "Billing;pdf",
                "2025-03-01T10:05",
            ],
            {
                "title": "Invoices",
                "problem": "We lose hours: invoices cannot be exported.",
                "evidence": "“Every month.”",
                "account": acme,
                "impact": "high",
                "product_area": billing,
                "source": "sales_call",
                "language": "fr",
                "tags": ["Billing", "pdf"],
                "received_at": timezone.make_aware(datetime(2025, 3, 1, 10, 5)),
            },
        ),
        (
            [
                "A-2",
                "Slow search",
                "Search is slow",
                "",
                "https://ex.com/a https://ex.com/b",
                "",
                "Jane",
                "",
                "",
                "",
                "en",
                "",
                "2025-04-02",
            ],
            {
                "title": "Slow search",
                "problem": "Search is slow",
                "links": ["https://ex.com/a", "https://ex.com/b"],
                "contact_name": "Jane",
                "source": "support_ticket",
                "language": "en",
                "received_at": timezone.make_aware(datetime(2025, 4, 2, 9, 0)),
            },
        ),
        (
            [
                "A-3",
                "We should add a button",
                "Please add a button to export, we lose revenue every renewal "
                "because finance cannot reconcile the month in time for the board.",
                "",
                "",
                "ACME",
                "Bob",
                "urgent",
                "billing",
                "cs_review",
                "en",
                "x",
                "2025-05-03 08:00",
            ],
            {
                "title": "We should add a button",
                "problem": "Please add a button to export, we lose revenue every "
                "renewal because finance cannot reconcile the month in time for the board.",
                "account": acme,
                "contact_name": "Bob",
                "impact": "critical",
                "product_area": billing,
                "source": "cs_review",
                "language": "en",
                "tags": ["x"],
                "received_at": timezone.make_aware(datetime(2025, 5, 3, 8, 0)),
            },
        ),
    ]
    job = _import(pm, [row for row, _fields in cases])
    assert (job.status, job.created_count) == (ImportStatus.DONE, 3)
    for row, fields in cases:
        imported = Feedback.objects.get(external_id=row[0])
        submitted = services.submit_feedback(actor=pm, **fields)
        assert _columns(imported) == _columns(submitted)
        assert imported.quality_score == submitted.quality_score  # the same numbers, said twice
        history = StatusChange.objects.get(feedback=imported)
        assert (history.actor_id, history.at, history.from_status, history.to_status) == (
            pm.pk,
            imported.received_at,
            "",
            FeedbackStatus.NEW,
        )


def test_aggregates_stay_equal_to_a_rebuild_across_chunks_and_reimports(pm, small_chunks):
    area = ProductAreaFactory(name_en="Mobile")
    rows = [
        [
            f"K-{i}",
            f"Feedback {i}",
            f"Problem {i}",
            "",
            "",
            f"Client {i % 4}",
            "",
            "",
            "Mobile" if i % 2 else "",
            "sales_call" if i % 3 else "",
            "en",
            "",
            f"2025-0{1 + i % 9}-1{i % 10}T0{i % 10}:30",
        ]
        for i in range(14)
    ]
    first = _import(pm, rows[:8])
    # Rows 4-7 are already there (in the second and third chunks of this file), rows 8-13 are new,
    # and row 9 comes twice.
    second = _import(pm, [*rows[4:], rows[9]])
    assert (first.created_count, first.skipped_count) == (8, 0)
    assert (second.status, second.created_count, second.skipped_count) == (ImportStatus.DONE, 6, 5)
    assert Feedback.objects.count() == 14
    assert Feedback.objects.filter(product_area=area).count() == 7
    assert StatusChange.objects.count() == 14
    assert CustomerAccount.objects.count() == 4
    incremental = _kpi_tables()
    daily_received = [
        c[0] for (grain, _d, dimension, _k), c in incremental[0].items() if (grain, dimension) == ("d", "all")
    ]
    assert sum(daily_received) == 14
    aggregates.rebuild()
    assert _kpi_tables() == incremental


def test_a_failure_while_writing_imports_nothing(pm, small_chunks, monkeypatch):
    calls = []
    real = writing._already_imported

    def failing(db, keys):
        calls.append(keys)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(db, keys)

    monkeypatch.setattr(writing, "_already_imported", failing)
    rows = [
        [f"F-{i}", f"Title {i}", "Problem", "", "", f"New customer {i}", "", "", "", "", "en", "", ""] for i in range(9)
    ]
    job = imports.create_import_job(actor=pm, file=_upload(rows))
    with pytest.raises(RuntimeError, match="disk full"):
        imports.run_import_job(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert "disk full" in job.errors[0]["errors"][0]
    # The first chunk was written before the failure: rolled back with everything else.
    assert not Feedback.objects.exists()
    assert not StatusChange.objects.exists()
    assert not CustomerAccount.objects.exists()
    assert not KpiStat.objects.exists()


def test_an_invalid_file_stops_writing_at_the_bad_row_and_keeps_nothing(pm, small_chunks, monkeypatch):
    written = []
    real = writing._already_imported

    def recording(db, keys):
        written.append(len(keys))
        return real(db, keys)

    monkeypatch.setattr(writing, "_already_imported", recording)
    rows = [
        [f"V-{i}", f"Title {i}", "Problem", "", "", f"New customer {i}", "", "", "", "", "en", "", ""] for i in range(7)
    ]
    rows[4][1] = ""  # no title: row 6 of the file
    rows[6][9] = "carrier pigeon"  # and a bad source on row 8, after it
    job = _import(pm, rows)
    assert job.status == ImportStatus.INVALID
    assert [e["row"] for e in job.errors] == [6, 8]
    assert (job.total_rows, job.processed_rows) == (7, 7)
    # Only the chunk before the bad row was written; then rolled back, new accounts included.
    assert written == [3]
    assert not Feedback.objects.exists()
    assert not StatusChange.objects.exists()
    assert not CustomerAccount.objects.exists()
    assert not KpiStat.objects.exists()


def test_a_bad_row_ends_the_transaction_and_the_rest_is_read_outside_it(pm, small_chunks, monkeypatch):
    # On SQLite the import's transaction holds the only write lock: a bad file must not keep
    # everyone else waiting while its last rows are checked for the report.
    from django.db import connection

    from guilde.feedback.imports import progress

    depth = []
    monkeypatch.setattr(progress, "report", lambda job_id, rows: depth.append((rows, len(connection.atomic_blocks))))
    rows = [[f"T-{i}", f"Title {i}", "Problem", "", "", "", "", "", "", "", "en", "", ""] for i in range(10)]
    rows[1][1] = ""  # row 3 of the file
    rows[8][9] = "carrier pigeon"  # row 10, checked after the rollback
    before = len(connection.atomic_blocks)
    job = _import(pm, rows)
    assert [e["row"] for e in job.errors] == [3, 10]
    assert depth == [(3, before + 1), (6, before), (9, before)]
    assert not Feedback.objects.exists()


def test_progress_is_reported_per_chunk_and_cleared_at_the_end(pm, small_chunks, monkeypatch):
    from guilde.feedback.imports import progress

    seen = []
    real = progress.report

    def recording(job_id, rows):
        # What the progress page would show at this moment (the job's row itself is in the
        # import's transaction: other connections see its total, set before, and the live count).
        job = progress.with_live_progress(ImportJob.objects.get(pk=job_id))
        real(job_id, rows)
        seen.append((rows, progress.with_live_progress(job).processed_rows, job.total_rows))

    monkeypatch.setattr(progress, "report", recording)
    rows = [[f"P-{i}", f"Title {i}", "Problem", "", "", "", "", "", "", "", "en", "", ""] for i in range(7)]
    job = _import(pm, rows)
    assert job.status == ImportStatus.DONE
    assert seen == [(3, 3, 7), (6, 6, 7)]
    job.processed_rows = 0
    assert progress.with_live_progress(job).processed_rows == 0  # cleared


def test_the_first_read_counts_rows_as_the_checking_does(pm):
    text = "title,problem,account\r\nA,one,Acme\r\n\r\nB,two,\r\nC,three, acme \r\nD,four,Globex\r\n"
    job = imports.create_import_job(actor=pm, file=SimpleUploadedFile("f.csv", text.encode(), content_type="text/csv"))
    assert imports_common.account_names(job) == (4, {"Acme", "acme", "Globex"})
    imports.run_import_job(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.total_rows, job.created_count) == (ImportStatus.DONE, 4, 4)
    assert sorted(CustomerAccount.objects.values_list("name", "search_name")) == [
        ("Acme", "acme"),
        ("Globex", "globex"),
    ]
    assert Feedback.objects.filter(account__search_name="acme").count() == 2


def test_imported_rows_of_every_chunk_are_found_by_search(pm, small_chunks):
    rows = [
        [f"S-{i}", f"Routine request {i}", "Nothing special", "", "", "", "", "", "", "", "en", "", ""]
        for i in range(8)
    ]
    rows[7] = [
        "S-7",
        "Quarterly webhook retries",
        "Retries never stop after a timeout",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "en",
        "",
        "",
    ]
    job = _import(pm, rows)
    assert job.created_count == 8
    assert ranked_ids(FEEDBACK_SEARCH_INDEX, "webhook retries timeout") == [Feedback.objects.get(external_id="S-7").pk]


def test_imported_rows_take_new_ids_in_file_order_never_a_deleted_one(pm, small_chunks):
    # PostgreSQL takes the ids from the sequence before the COPY, SQLite returns them from each
    # INSERT: either way after the largest id ever given, never a deleted feedback's.
    newest = services.submit_feedback(actor=pm, title="Gone soon", problem="Deleted below", source="sales_call")
    deleted_pk = newest.pk
    newest.delete()
    rows = [[f"I-{i}", f"Row {i}", "Problem", "", "", "", "", "", "", "", "en", "", ""] for i in range(8)]
    job = _import(pm, rows)
    assert job.created_count == 8
    imported = list(Feedback.objects.filter(external_id__startswith="I-").order_by("id"))
    assert [f.external_id for f in imported] == [f"I-{i}" for i in range(8)]
    assert imported[0].pk > deleted_pk
    assert [f.pk for f in imported] == list(range(imported[0].pk, imported[0].pk + 8))
    history = dict(StatusChange.objects.filter(feedback__in=imported).values_list("feedback_id", "to_status"))
    assert history == {f.pk: FeedbackStatus.NEW for f in imported}
    # And the next feedback saved the usual way takes an id after them.
    after = services.submit_feedback(actor=pm, title="After", problem="After the import", source="sales_call")
    assert after.pk > imported[-1].pk


def test_rows_are_read_by_column_position_as_dictreader_reads_them(pm):
    # BOM, spaced and repeated headers (the last one wins), blank lines, short and long rows.
    text = (
        "\ufeff title ,problem,external_id,title,extra\r\n"
        "ignored,Problem one,E-1,Title one,x,y,z\r\n"
        "\r\n"
        "ignored,Problem two\r\n"
    )
    upload = SimpleUploadedFile("odd.csv", text.encode(), content_type="text/csv")
    job = imports.create_import_job(actor=pm, file=upload)
    mapping = imports.mapping_for(job)
    expected = [(line, imports.map_row(row, mapping)) for line, row in imports._rows(job)]
    assert list(imports._mapped_rows(job, mapping)) == expected
    assert [values["title"] for _line, values in expected] == ["Title one", ""]
    assert [line for line, _values in expected] == [2, 4]


def test_the_sqlite_page_cache_is_given_back(pm):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
    job = _import(pm, [["C-1", "Title", "Problem", "", "", "", "", "", "", "", "en", "", ""]])
    assert job.status == ImportStatus.DONE
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        assert cursor.fetchone()[0] == before


def test_an_import_without_a_date_is_received_when_it_runs(pm):
    before = timezone.now()
    _import(pm, [["D-1", "Title", "Problem", "", "", "", "", "", "", SourceChannel.INTERNAL, "en", "", ""]])
    row = Feedback.objects.get(external_id="D-1")
    assert before <= row.received_at <= timezone.now()
    assert row.created_at >= before
    assert ImportJob.objects.get().created_count == 1
