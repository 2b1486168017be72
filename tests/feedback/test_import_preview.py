import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from guilde.feedback import imports, services
from guilde.feedback.enums import ImportPreset
from guilde.feedback.import_preview import preview_with_errors


def _upload(text):
    return SimpleUploadedFile("export.csv", text.encode(), content_type="text/csv")


@pytest.fixture
def job(pm):
    upload = _upload(
        "Id,Subject,Description,Organization,Priority\n1,Slow export,Takes minutes,Acme,urgent\n2,,No title,,\n"
    )
    return imports.create_import_job(actor=pm, file=upload, preset=ImportPreset.ZENDESK)


def test_preview_reports_required_fields_per_row_and_trusts_aliases(job):
    rows = preview_with_errors(job)

    assert [row["line"] for row in rows] == [2, 3]
    assert rows[0]["errors"] == []
    assert rows[0]["values"]["impact"] == "urgent"
    assert rows[1]["errors"] == ["title: This field is required."]


def test_update_import_mapping_stores_the_mapping(pm, job):
    headers = imports.headers_of(job)

    services.update_import_mapping(
        actor=pm, job=job, mapping={"title": "Description", "problem": "Subject"}, headers=headers
    )

    job.refresh_from_db()
    assert job.mapping == {"title": "Description", "problem": "Subject"}


def test_update_import_mapping_refuses_a_column_not_in_the_file(pm, job):
    with pytest.raises(ValidationError) as caught:
        services.update_import_mapping(actor=pm, job=job, mapping={"title": "Nope"}, headers=imports.headers_of(job))

    assert caught.value.message_dict == {"mapping": ["These columns are not in the file: Nope"]}


def test_update_import_mapping_is_for_triagers_only(stakeholder, job):
    with pytest.raises(PermissionDenied):
        services.update_import_mapping(actor=stakeholder, job=job, mapping={}, headers=[])
