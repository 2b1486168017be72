import csv
import io
from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from guilde.feedback import imports
from guilde.feedback.enums import FeedbackStatus, ImportPreset, ImportStatus, SourceChannel
from guilde.feedback.models import CustomerAccount, Feedback, ImportJob, StatusChange
from guilde.feedback.selectors import InboxFilters
from tests.factories.feedback import CustomerAccountFactory, FeedbackFactory, ProductAreaFactory

pytestmark = pytest.mark.django_db


def _csv(rows, header):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile("export.csv", buffer.getvalue().encode(), content_type="text/csv")


def _run(actor, upload, capture, **kwargs):
    job = imports.create_import_job(actor=actor, file=upload, **kwargs)
    with capture(execute=True):
        imports.start_import(actor=actor, job=job)
    job.refresh_from_db()
    return job


GUILDE_HEADER = [
    "external_id",
    "title",
    "problem",
    "source",
    "account",
    "product_area",
    "impact",
    "received_at",
    "tags",
]


def test_good_file_imports_every_row_with_history(pm, django_capture_on_commit_callbacks):
    ProductAreaFactory(name_en="Billing", name_fr="Facturation")
    account = CustomerAccountFactory(name="Acme")
    upload = _csv(
        [
            [
                "T-1",
                "Export fails",
                "Invoices cannot be exported",
                "support_ticket",
                "acme",
                "Facturation",
                "high",
                "2025-03-01",
                "pdf billing",
            ],
            ["T-2", "Slow search", "Search takes 10 s", "", "New Co", "", "urgent", "2025-03-02T10:00", ""],
        ],
        GUILDE_HEADER,
    )
    job = _run(pm, upload, django_capture_on_commit_callbacks)
    assert (job.status, job.total_rows, job.created_count, job.skipped_count) == (ImportStatus.DONE, 2, 2, 0)
    first = Feedback.objects.get(external_id="T-1")
    assert first.account == account
    assert first.product_area.name_en == "Billing"
    assert first.tags == ["billing", "pdf"]
    assert timezone.localtime(first.received_at).date().isoformat() == "2025-03-01"
    second = Feedback.objects.get(external_id="T-2")
    assert second.account.name == "New Co"  # unknown accounts are created
    assert second.impact == "critical"
    assert second.source == SourceChannel.SUPPORT_TICKET
    assert StatusChange.objects.filter(to_status=FeedbackStatus.NEW).count() == 2


def test_preview_maps_the_first_rows(pm):
    upload = _csv([["42", "Hello", "World", "Acme"]], ["Id", "Subject", "Description", "Organization"])
    job = imports.create_import_job(actor=pm, file=upload, preset=ImportPreset.ZENDESK)
    preview = imports.preview(job)
    assert preview["rows"][0]["title"] == "Hello"
    assert preview["rows"][0]["external_id"] == "42"


def test_bad_rows_import_nothing_and_say_which_rows_and_why(pm, django_capture_on_commit_callbacks):
    upload = _csv(
        [
            ["A", "Fine", "Fine problem", "support_ticket", "", "", "", "", ""],
            ["B", "", "No title", "support_ticket", "", "", "", "", ""],
            ["C", "Bad source", "x", "carrier pigeon", "", "Nowhere", "", "yesterday", ""],
        ],
        GUILDE_HEADER,
    )
    job = _run(pm, upload, django_capture_on_commit_callbacks)
    assert job.status == ImportStatus.INVALID
    assert not Feedback.objects.exists()
    assert [e["row"] for e in job.errors] == [3, 4]
    assert any("title" in message for message in job.errors[0]["errors"])
    assert len(job.errors[1]["errors"]) == 3  # source, product area, date


def test_the_report_and_the_dates_are_those_of_whoever_started_the_import(pm, django_capture_on_commit_callbacks):
    # The worker runs outside any request: it takes the language and timezone of the job's author.
    pm.language, pm.timezone = "fr", "America/New_York"
    pm.save(update_fields=["language", "timezone"])
    upload = _csv(
        [
            ["A", "Fine", "Fine problem", "support_ticket", "", "", "", "2025-03-31T14:05", ""],
            ["B", "", "No title", "support_ticket", "", "", "", "", ""],
        ],
        GUILDE_HEADER,
    )
    job = _run(pm, upload, django_capture_on_commit_callbacks)
    assert job.status == ImportStatus.INVALID
    assert job.errors == [{"row": 3, "errors": ["titre\u202f: Ce champ est obligatoire."]}]

    upload = _csv([["A", "Fine", "Fine problem", "support_ticket", "", "", "", "2025-03-31T14:05", ""]], GUILDE_HEADER)
    job = _run(pm, upload, django_capture_on_commit_callbacks)
    assert job.status == ImportStatus.DONE
    received = Feedback.objects.get(external_id="A").received_at
    assert received == datetime(2025, 3, 31, 18, 5, tzinfo=UTC)  # 14:05 in New York (summer time)
    assert translation.get_language() == "en"  # the worker's own settings are left as they were


def test_same_file_twice_does_not_duplicate(pm, django_capture_on_commit_callbacks):
    rows = [
        ["Z-1", "One", "Problem one", "", "", "", "", "", ""],
        ["Z-1", "One again", "Same id", "", "", "", "", "", ""],
    ]
    job = _run(pm, _csv(rows, GUILDE_HEADER), django_capture_on_commit_callbacks)
    assert (job.created_count, job.skipped_count) == (1, 1)
    job = _run(pm, _csv(rows, GUILDE_HEADER), django_capture_on_commit_callbacks)
    assert (job.status, job.created_count, job.skipped_count) == (ImportStatus.DONE, 0, 2)
    assert Feedback.objects.count() == 1


def test_big_file_streams_in_chunks(pm, django_capture_on_commit_callbacks):
    rows = [
        [f"S-{i}", f"Feedback {i}", f"Problem number {i} with exports", "", f"Account {i % 50}", "", "", "", ""]
        for i in range(5000)
    ]
    job = _run(pm, _csv(rows, GUILDE_HEADER), django_capture_on_commit_callbacks)
    assert (job.status, job.created_count, job.processed_rows) == (ImportStatus.DONE, 5000, 5000)
    assert Feedback.objects.count() == 5000
    assert CustomerAccount.objects.count() == 50


def test_stakeholders_cannot_import(stakeholder):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        imports.create_import_job(actor=stakeholder, file=_csv([], GUILDE_HEADER))
    assert not ImportJob.objects.exists()


def test_export_streams_and_hides_confidential_columns(pm, stakeholder):
    mine = FeedbackFactory(submitter=stakeholder, account=CustomerAccountFactory(), title="=HYPERLINK(evil)")
    FeedbackFactory()
    product_lines = list(imports.export_csv(viewer=pm, filters=InboxFilters()))
    assert len(product_lines) == 3
    stakeholder_rows = list(
        csv.reader(io.StringIO("".join(imports.export_csv(viewer=stakeholder, filters=InboxFilters()))))
    )
    header, row = stakeholder_rows
    assert len(stakeholder_rows) == 2
    assert row[header.index("arr")] == ""
    assert row[header.index("title")] == "'=HYPERLINK(evil)"
    assert str(mine.pk) == row[0]


def test_imported_rows_are_complete_like_orm_rows(pm, django_capture_on_commit_callbacks):
    """The commit pass inserts with raw multi-row INSERTs: every column must still be right."""
    from guilde.core.search import ranked_ids
    from guilde.feedback.models import FEEDBACK_SEARCH_INDEX

    account = CustomerAccountFactory(name="Globex")
    before = timezone.now()
    upload = _csv(
        [["G-1", "Quarterly webhook retries", "Retries never stop", "sales_call", "globex", "", "", "", "a;b"]],
        GUILDE_HEADER,
    )
    job = _run(pm, upload, django_capture_on_commit_callbacks)
    assert job.status == ImportStatus.DONE
    row = Feedback.objects.get(external_id="G-1")
    assert row.created_at >= before
    assert row.updated_at >= before
    assert row.received_at >= before  # no date in the file: now
    assert (row.arr, row.currency, row.plan, row.segment_id) == (
        account.arr,
        account.currency,
        account.plan,
        account.segment_id,
    )
    assert row.tags == ["a", "b"]
    assert row.links == []
    assert row.submitter == pm
    assert row.last_changed_by == pm
    history = StatusChange.objects.get(feedback=row)
    assert (history.actor, history.at, history.from_status, history.note) == (pm, row.received_at, "", "")
    assert ranked_ids(FEEDBACK_SEARCH_INDEX, "quarterly webhook retries") == [row.pk]
