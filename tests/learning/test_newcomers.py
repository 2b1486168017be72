"""The newcomers' overview ("who is stuck") at scale: paged in SQL's order, a buddy chosen on its own page."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from guilde.learning import selectors, services
from guilde.learning.enums import Audience, PathPurpose, StepKind
from guilde.learning.models import Enrolment
from tests.factories.learning import PathFactory, StepFactory
from tests.learning.conftest import make_user


@pytest.fixture
def onboarding(db):
    path = PathFactory(title_en="Welcome", purpose=PathPurpose.ONBOARDING, audience=Audience.COMMUNITY, due_days=30)
    for _ in range(4):
        StepFactory(path=path, kind=StepKind.READ)
    return path


def _enrol(path, ops, *, days_ago=0, done=0, finished=False, due_days_ago=None):
    enrolment = services.enrol(actor=ops, path=path, learner=make_user("member"))
    for step in path.steps.order_by("position")[:done]:
        services.complete_step(actor=enrolment.user, enrolment=enrolment, step=step)
    moment = timezone.now() - timedelta(days=days_ago)
    changes = {"created_at": moment, "last_progress_at": moment if done else None}
    if finished:
        changes["completed_at"] = moment
    if due_days_ago is not None:
        changes["due_on"] = timezone.localdate() - timedelta(days=due_days_ago)
    Enrolment.objects.filter(pk=enrolment.pk).update(**changes)
    return enrolment


def test_stuck_and_late_come_first_then_least_progress_and_completed_last(onboarding, ops):
    done = _enrol(onboarding, ops, days_ago=40, done=4, finished=True)
    moving = _enrol(onboarding, ops, days_ago=2, done=3)
    stalled = _enrol(onboarding, ops, days_ago=20, done=2)  # no progress for 20 days
    late = _enrol(onboarding, ops, days_ago=3, done=1, due_days_ago=1)  # overdue
    fresh = _enrol(onboarding, ops, days_ago=1)

    rows = selectors.newcomers(viewer=ops)

    assert [(row.enrolment, row.is_stuck, row.is_overdue, row.percent) for row in rows] == [
        (late, True, True, 25),
        (stalled, True, False, 50),
        (fresh, False, False, 0),
        (moving, False, False, 75),
        (done, False, False, 100),
    ]
    page, stuck = selectors.newcomers_page(viewer=ops, page=1)
    assert stuck == 2
    assert [row.enrolment for row in page.object_list] == [row.enrolment for row in rows]


def test_the_overview_is_paged_and_counts_everyone_stuck(onboarding, ops, monkeypatch):
    from guilde.learning.selectors import paths

    monkeypatch.setattr(paths, "NEWCOMERS_PAGE_SIZE", 2)
    stuck = [_enrol(onboarding, ops, days_ago=30) for _ in range(3)]
    fine = _enrol(onboarding, ops, days_ago=1)

    first, count = selectors.newcomers_page(viewer=ops, page=1)
    second, _count = selectors.newcomers_page(viewer=ops, page="2")

    assert count == 3
    assert [row.enrolment for row in first.object_list + second.object_list] == [*stuck, fine]
    assert first.paginator.num_pages == 2


@override_settings(LANGUAGE_CODE="en")
def test_the_page_links_to_a_buddy_page_instead_of_a_list_per_row(onboarding, client, ops):
    candidates = [make_user("member") for _ in range(3)]
    enrolment = _enrol(onboarding, ops, days_ago=30)
    client.force_login(ops)

    page = client.get(reverse("learning:onboarding")).content.decode()
    choose = client.get(reverse("learning:enrolment_buddy", args=[enrolment.pk])).content.decode()
    response = client.post(reverse("learning:enrolment_buddy", args=[enrolment.pk]), {"buddy": candidates[1].pk})

    assert "1 stuck" in page
    assert reverse("learning:enrolment_buddy", args=[enrolment.pk]) in page
    assert "<select" not in page  # no list of every member per newcomer
    assert f'value="{candidates[0].pk}"' in choose
    assert f'value="{enrolment.user_id}"' not in choose  # nobody is their own buddy
    assert response["Location"] == reverse("learning:onboarding")
    enrolment.refresh_from_db()
    assert enrolment.buddy == candidates[1]


def test_only_product_ops_choose_a_buddy(onboarding, client, ops):
    enrolment = _enrol(onboarding, ops)
    client.force_login(make_user("member"))

    # Learning answers a forbidden page like a missing one.
    assert client.get(reverse("learning:enrolment_buddy", args=[enrolment.pk])).status_code == 404
