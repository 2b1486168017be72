from datetime import timedelta

import pytest
from django.utils import timezone

from guilde.core.models import PeriodicRun
from guilde.core.periodic import PeriodicJob, claim, enqueue_due_jobs, periodic_jobs

pytestmark = pytest.mark.django_db


class FakeTask:
    def __init__(self):
        self.enqueued = 0

    def enqueue(self):
        self.enqueued += 1


def test_claim_first_time_wins_then_waits_for_the_interval():
    job = PeriodicJob("test.job", FakeTask(), timedelta(hours=1))
    start = timezone.now()

    assert claim(job, now=start) is True
    assert claim(job, now=start + timedelta(minutes=30)) is False
    assert claim(job, now=start + timedelta(hours=1)) is True
    assert PeriodicRun.objects.get(name="test.job").last_run_at == start + timedelta(hours=1)


def test_claim_by_two_schedulers_at_once_runs_the_job_once():
    job = PeriodicJob("test.race", FakeTask(), timedelta(minutes=5))
    now = timezone.now()

    assert [claim(job, now=now), claim(job, now=now)] == [True, False]


def test_domains_register_their_jobs():
    names = {job.name for job in periodic_jobs()}

    assert {"rituals.session_reminders", "initiatives.weekly_digest"} <= names


def test_enqueue_due_jobs_enqueues_each_due_job_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    now = timezone.now()

    first = enqueue_due_jobs(now=now)
    second = enqueue_due_jobs(now=now + timedelta(minutes=1))

    assert "rituals.session_reminders" in first
    assert second == []
