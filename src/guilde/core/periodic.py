"""Periodic jobs: reminders, digests, horizons kept filled.

`django.tasks` has no schedule of its own, so `manage.py run_periodic` enqueues each registered
task when it is due. Domains register their jobs from `AppConfig.ready()`. Claiming a run is one
conditional UPDATE on `PeriodicRun`, so any number of schedulers can run side by side (one per
machine, say) without enqueuing a job twice.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from guilde.core.models import PeriodicRun


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    task: Any  # a django.tasks Task
    every: timedelta


_jobs: dict[str, PeriodicJob] = {}


def register_periodic(name: str, task: Any, *, every: timedelta) -> None:
    _jobs[name] = PeriodicJob(name, task, every)


def periodic_jobs() -> list[PeriodicJob]:
    return sorted(_jobs.values(), key=lambda job: job.name)


def claim(job: PeriodicJob, *, now: Any = None) -> bool:
    """True when this caller won the right to run `job` now (it was due and nobody else took it)."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            PeriodicRun.objects.get_or_create(name=job.name)
    except IntegrityError:
        pass  # another scheduler created the row at the same moment
    due = Q(last_run_at__isnull=True) | Q(last_run_at__lte=now - job.every)
    return PeriodicRun.objects.filter(due, name=job.name).update(last_run_at=now) == 1


def enqueue_due_jobs(*, now: Any = None) -> list[str]:
    """Enqueues every job that is due; returns their names."""
    enqueued = []
    for job in periodic_jobs():
        if claim(job, now=now):
            job.task.enqueue()
            enqueued.append(job.name)
    return enqueued
