"""CSV import: upload → column mapping and preview → confirm → progress → result."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from guilde.core.viewhelpers import add_service_errors, allowed, error_text, is_partial
from guilde.feedback import imports, selectors, services
from guilde.feedback.enums import ImportStatus
from guilde.feedback.forms import ImportMappingForm, ImportUploadForm
from guilde.feedback.import_preview import preview_with_errors
from guilde.feedback.imports import progress
from guilde.feedback.views.common import actor

RUNNING = {ImportStatus.VALIDATING, ImportStatus.IMPORTING}
EDITABLE = {ImportStatus.PENDING, ImportStatus.INVALID, ImportStatus.FAILED}


def _headers(upload) -> list[str]:  # type: ignore[no-untyped-def]
    """The header row of an uploaded file (read from its start, then rewound)."""
    upload.seek(0)
    head = upload.read(64 * 1024)
    upload.seek(0)
    text = head.decode("utf-8-sig", errors="replace").splitlines()
    return [h.strip() for h in next(csv.reader(io.StringIO(text[0] if text else "")), [])]


@allowed("feedback.import_feedback")
def upload(request: HttpRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        preset = form.cleaned_data["preset"]
        headers = set(_headers(file))
        # Only the preset's columns the file really has: the mapping page fills the gaps.
        mapping = {f: c if c in headers else "" for f, c in imports.PRESETS.get(preset, {}).items()}
        try:
            job = imports.create_import_job(
                actor=actor(request),
                file=file,
                preset=preset,
                mapping=mapping,
                default_source=form.cleaned_data["default_source"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("feedback:import_job", pk=job.pk)
    context = {"form": form, "jobs": selectors.import_jobs(viewer=request.user)[:10]}
    return render(request, "feedback/import_upload.html", context, status=400 if request.method == "POST" else 200)


@allowed("feedback.import_feedback")
def job_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Mapping and preview while the job has not run; progress while it runs; the result after."""
    job = selectors.import_job_for(viewer=request.user, pk=pk)
    finished_with_errors = (
        job.status != ImportStatus.PENDING and request.method == "GET" and not request.GET.get("edit")
    )
    if job.status not in EDITABLE or finished_with_errors:
        return redirect("feedback:import_progress", pk=job.pk)
    headers = imports.headers_of(job)
    mapping = imports.mapping_for(job)
    form = ImportMappingForm(request.POST or None, headers=headers, initial=mapping)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_import_mapping(actor=actor(request), job=job, mapping=form.mapping(), headers=headers)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if request.POST.get("confirm"):
                imports.start_import(actor=actor(request), job=job)
                return redirect("feedback:import_progress", pk=job.pk)
            return redirect(f"{request.path}?edit=1")
    context = {
        "job": job,
        "form": form,
        "headers": headers,
        "preview": preview_with_errors(job) if "title" in mapping and "problem" in mapping else [],
        "fields": list(mapping),
    }
    return render(request, "feedback/import_mapping.html", context)


@allowed("feedback.import_feedback")
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    job = progress.with_live_progress(selectors.import_job_for(viewer=request.user, pk=pk))
    running = job.status in RUNNING or job.status == ImportStatus.PENDING
    template = "feedback/import_progress.html#progress" if is_partial(request) else "feedback/import_progress.html"
    return render(request, template, {"job": job, "running": running})


@require_POST
@allowed("feedback.import_feedback")
def job_retry(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.import_job_for(viewer=request.user, pk=pk)
    try:
        imports.start_import(actor=actor(request), job=job)
    except ValidationError as error:
        messages.error(request, error_text(error))
    return redirect("feedback:import_progress", pk=job.pk)
