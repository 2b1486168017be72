"""Per-user workspace reads: saved views and import jobs."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from guilde.feedback.models import ImportJob, SavedView
from guilde.feedback.rules import can_triage


def saved_views(*, viewer: Any) -> QuerySet[SavedView]:
    return SavedView.objects.filter(owner=viewer).order_by("name", "id")


def import_jobs(*, viewer: Any) -> QuerySet[ImportJob]:
    if not can_triage(viewer):
        return ImportJob.objects.none()
    return ImportJob.objects.select_related("created_by").order_by("-created_at", "-id")


def import_job_for(*, viewer: Any, pk: int) -> ImportJob:
    job = import_jobs(viewer=viewer).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job
