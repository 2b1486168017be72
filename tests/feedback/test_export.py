"""CSV export: PostgreSQL's COPY path writes exactly the bytes of the Python path."""

import csv
import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import connection

from guilde.feedback.enums import FeedbackStatus, SourceChannel
from guilde.feedback.imports import export
from guilde.feedback.models import Feedback
from guilde.feedback.selectors import InboxFilters
from tests.factories.accounts import UserFactory
from tests.factories.feedback import CustomerAccountFactory, FeedbackFactory, ProductAreaFactory, SegmentFactory

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")


@pytest.fixture
def awkward_rows(stakeholder):
    """Every kind of value the export writes, with the cases where CSV writers differ."""
    area = ProductAreaFactory(name_en="Billing, invoices")
    segment = SegmentFactory(key="enterprise")
    owned = CustomerAccountFactory(name="=Owned & co", owner=stakeholder, arr=Decimal("1234567.89"), segment=segment)
    other = CustomerAccountFactory(name='Acme "Big" Corp', arr=Decimal("0.50"))
    nameless = UserFactory(full_name="", email="@nameless@example.com")
    rows = [
        FeedbackFactory(
            title="=HYPERLINK(evil)",
            problem="line one\nline two",
            evidence='He said "no", then left',
            account=owned,
            arr=owned.arr,
            plan="=Plan",
            currency="USD",
            product_area=area,
            submitter=stakeholder,
            submitter_team="+Sales FR",
            contact_name="-Dana",
            external_id="@ext-1",
            quality_score=100,
            received_at=datetime(2026, 11, 24, 9, 30, tzinfo=UTC),
            processed_at=datetime(2026, 11, 24, 10, 0, 0, 123456, tzinfo=UTC),
            resolved_at=datetime(2026, 11, 25, 8, 0, 0, 1, tzinfo=UTC),
            status=FeedbackStatus.RESOLVED,
        ),
        FeedbackFactory(
            title="\tTabbed",
            problem="\rCarriage\r\nreturn",
            evidence="",
            account=other,
            arr=other.arr,
            impact="",
            submitter=nameless,
            quality_score=0,
            received_at=datetime(2025, 1, 2, 3, 4, 5, 600000, tzinfo=UTC),
        ),
        FeedbackFactory(
            title=" =not a formula (leading space)",
            problem="Café ☕ — « guillemets » ; virgule, fin",
            submitter=None,
            account=None,
            segment=None,
            arr=Decimal("0"),
            received_at=datetime(2024, 2, 29, 23, 59, 59, tzinfo=UTC),
        ),
    ]
    return rows


def _lines(viewer, filters, path):
    if path == "copy":
        return list(export._copy_csv(viewer=viewer, filters=filters))
    return list(export._python_csv(viewer=viewer, filters=filters, chunk_size=2))


@postgresql_only
@pytest.mark.parametrize(
    "filters",
    [
        InboxFilters(),
        InboxFilters(sort="oldest"),
        InboxFilters(sort="arr"),
        InboxFilters(sort="quality_low", status=[FeedbackStatus.NEW]),
    ],
    ids=["newest", "oldest", "arr", "new-by-quality"],
)
def test_copy_writes_the_same_bytes_as_the_python_path(ops, awkward_rows, filters):
    assert export._copy_applies(ops)

    copied = _lines(ops, filters, "copy")

    assert copied == _lines(ops, filters, "python")
    assert len(copied) == 1 + len(export.selectors.export_rows(viewer=ops, filters=filters))


@postgresql_only
def test_copy_output_reads_back_as_the_guarded_values(ops, awkward_rows):
    rows = list(csv.reader(io.StringIO("".join(export.export_csv(viewer=ops, filters=InboxFilters())))))

    header, first, second, third = rows
    by = dict(zip(header, first, strict=True))
    assert (by["title"], by["account"], by["submitter_team"], by["contact_name"]) == (
        "'=HYPERLINK(evil)",
        "'=Owned & co",
        "'+Sales FR",
        "'-Dana",
    )
    assert (by["external_id"], by["plan"], by["problem"]) == ("'@ext-1", "'=Plan", "line one\nline two")
    assert (by["received_at"], by["processed_at"], by["resolved_at"]) == (
        "2026-11-24T09:30:00+00:00",
        "2026-11-24T10:00:00.123456+00:00",
        "2026-11-25T08:00:00.000001+00:00",
    )
    assert (by["product_area"], by["segment"], by["arr"], by["currency"]) == (
        "Billing, invoices",
        "enterprise",
        "1234567.89",
        "USD",
    )
    by = dict(zip(header, second, strict=True))
    assert (by["title"], by["problem"], by["submitter"], by["evidence"], by["impact"]) == (
        "'\tTabbed",
        "'\rCarriage\r\nreturn",
        "'@nameless@example.com",
        "",
        "",
    )
    assert (by["arr"], by["received_at"], by["processed_at"]) == ("0.50", "2025-01-02T03:04:05.600000+00:00", "")
    by = dict(zip(header, third, strict=True))
    assert (by["title"], by["account"], by["submitter"], by["segment"]) == (
        " =not a formula (leading space)",
        "",
        "",
        "",
    )


@postgresql_only
def test_viewers_without_every_column_keep_the_python_path(stakeholder, awkward_rows):
    assert not export._copy_applies(stakeholder)

    rows = list(csv.reader(io.StringIO("".join(export.export_csv(viewer=stakeholder, filters=InboxFilters())))))

    header = rows[0]
    figures = {r[header.index("title")]: r[-4:] for r in rows[1:]}
    # Their own account's figures only; the other feedback they cannot see at all.
    assert figures == {"'=HYPERLINK(evil)": ["enterprise", "'=Plan", "1234567.89", "USD"]}


@postgresql_only
def test_a_download_closed_early_cancels_the_copy_and_leaves_the_connection_usable(ops):
    # ~6 MB of CSV: more than the socket buffers, so the server is still sending when we stop.
    Feedback.objects.bulk_create(
        Feedback(title=f"Row {i}", problem="x" * 2000, source=SourceChannel.SALES_CALL) for i in range(3000)
    )
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()
    lines = export.export_csv(viewer=ops, filters=InboxFilters())

    assert next(lines).startswith("id,received_at,")
    assert next(lines)
    lines.close()  # what StreamingHttpResponse does when the client goes away

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM feedback_feedback")
        assert cursor.fetchone() == (3000,)
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == jit  # SET LOCAL ended with the export's transaction


def test_python_path_writes_what_the_orm_reads(ops, awkward_rows):
    """SQLite's path rewrites the stored datetime text instead of parsing it: same output."""
    rows = list(csv.reader(io.StringIO("".join(export.export_csv(viewer=ops, filters=InboxFilters())))))

    header = rows[0]
    written = {int(r[0]): r for r in rows[1:]}
    assert set(written) == {f.pk for f in awkward_rows}
    for feedback in Feedback.objects.filter(pk__in=written):
        row = dict(zip(header, written[feedback.pk], strict=True))
        assert row["received_at"] == feedback.received_at.isoformat()
        assert row["processed_at"] == (feedback.processed_at.isoformat() if feedback.processed_at else "")
        assert row["resolved_at"] == (feedback.resolved_at.isoformat() if feedback.resolved_at else "")
        assert row["arr"] == str(feedback.arr)
    assert written[awkward_rows[1].pk][1] == "2025-01-02T03:04:05.600000+00:00"
    assert export._copy_applies(ops) == (connection.vendor == "postgresql")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's stored text")
def test_sqlite_datetime_text_in_another_shape_is_parsed():
    assert export._sqlite_isoformat("2026-11-24 09:30:00") == "2026-11-24T09:30:00+00:00"
    assert export._sqlite_isoformat("2026-11-24 09:30:00.000100") == "2026-11-24T09:30:00.000100+00:00"
    assert export._sqlite_isoformat("2026-11-24T09:30:00.5") == "2026-11-24T09:30:00.500000+00:00"
    assert export._sqlite_isoformat(None) == ""
