import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections

from guilde.core.concurrency import ConcurrentEditError
from guilde.initiatives import planner, selectors, services
from guilde.initiatives.models import Challenge, ChallengeVote, Initiative, Pledge, StatusChange
from guilde.notifications.models import Notification
from tests.factories.community import MemberFactory
from tests.factories.initiatives import (
    ChallengeFactory,
    CheckInFactory,
    InitiativeFactory,
    PledgeFactory,
    default_pillar,
)
from tests.initiatives.conftest import make_member


def monday():
    return planner.week_start(selectors.today())


def _pledge(volunteer, initiative, minutes, weeks=4, start=None):
    start = start or monday()
    return services.pledge(
        actor=volunteer.user,
        initiative=initiative,
        minutes_per_week=minutes,
        start=start,
        end=start + timedelta(weeks=weeks) - timedelta(days=1),
    )


# ---------------------------------------------------------------- pledges


@pytest.mark.django_db
def test_pledge_within_commitment_is_recorded(volunteer):
    initiative = InitiativeFactory()

    pledge = _pledge(volunteer, initiative, 45)

    assert (pledge.member, pledge.minutes_per_week, pledge.initiative) == (volunteer, 45, initiative)


@pytest.mark.django_db
def test_over_pledging_is_refused_with_what_is_already_pledged(volunteer):
    first = InitiativeFactory(title="Discovery quiz")
    _pledge(volunteer, first, 45)

    with pytest.raises(ValidationError) as error:
        _pledge(volunteer, InitiativeFactory(), 30)

    message = error.value.message_dict["minutes_per_week"][0]
    assert "already pledged 45 min" in message
    assert "Discovery quiz: 45 min" in message
    assert "up to 15 min more" in message
    assert Pledge.objects.filter(member=volunteer).count() == 1


@pytest.mark.django_db
def test_pledges_in_different_weeks_do_not_add_up(volunteer):
    _pledge(volunteer, InitiativeFactory(), 60, weeks=2)

    later = _pledge(volunteer, InitiativeFactory(), 60, weeks=2, start=monday() + timedelta(weeks=2))

    assert later.minutes_per_week == 60


@pytest.mark.django_db
def test_pledges_to_deprioritised_initiatives_free_the_time(volunteer, ops):
    first = InitiativeFactory()
    _pledge(volunteer, first, 60, start=monday() + timedelta(weeks=1))
    services.move_initiative(actor=ops.user, initiative=first, status="deprioritised", version=1, reason="Too big")

    second = _pledge(volunteer, InitiativeFactory(), 60, start=monday() + timedelta(weeks=1))

    assert second.minutes_per_week == 60
    assert not Pledge.objects.filter(initiative=first).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("minutes", "start_offset", "end_offset", "field"),
    [
        (0, 0, 7, "minutes_per_week"),
        (-30, 0, 7, "minutes_per_week"),
        (30, 7, 0, "end"),
        (30, -14, 7, "start"),
        (30, 0, 400, "end"),
    ],
)
def test_pledge_bad_input_is_refused(volunteer, minutes, start_offset, end_offset, field):
    start = monday() + timedelta(days=start_offset)

    with pytest.raises(ValidationError) as error:
        services.pledge(
            actor=volunteer.user,
            initiative=InitiativeFactory(),
            minutes_per_week=minutes,
            start=start,
            end=monday() + timedelta(days=end_offset),
        )

    assert field in error.value.message_dict


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["member", "executive", "stakeholder"])
def test_only_volunteers_pledge(role):
    person = make_member(role)

    with pytest.raises(PermissionDenied):
        _pledge(person, InitiativeFactory(), 30)


@pytest.mark.django_db
def test_no_pledge_to_a_delivered_initiative(volunteer):
    with pytest.raises(PermissionDenied):
        _pledge(volunteer, InitiativeFactory(status="delivered"), 30)


def _pledge_in_thread(user_pk, initiative_pk, barrier, results):
    from guilde.accounts.models import User

    try:
        user = User.objects.get(pk=user_pk)
        initiative = Initiative.objects.get(pk=initiative_pk)
        barrier.wait(timeout=5)
        services.pledge(
            actor=user, initiative=initiative, minutes_per_week=45, start=monday(), end=monday() + timedelta(days=27)
        )
        results.append("ok")
    except ValidationError:
        results.append("refused")
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_concurrent_pledges_cannot_exceed_capacity():
    """Two 45-minute pledges sent at once by a volunteer with 60 minutes: exactly one passes.

    On PostgreSQL two threads really race (the profile row lock serialises them); SQLite
    serialises writers itself, so there the second request is simulated after the first.
    """
    volunteer = make_member("volunteer")
    first, second = InitiativeFactory(), InitiativeFactory()
    results: list[str] = []
    if connection.vendor == "postgresql":
        barrier = threading.Barrier(2)
        threads = [
            threading.Thread(target=_pledge_in_thread, args=(volunteer.user.pk, pk, barrier, results))
            for pk in (first.pk, second.pk)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=20)
    else:
        for initiative in (first, second):
            try:
                _pledge(volunteer, initiative, 45)
                results.append("ok")
            except ValidationError:
                results.append("refused")

    assert sorted(results) == ["ok", "refused"]
    assert Pledge.objects.filter(member=volunteer).count() == 1


@pytest.mark.django_db
def test_withdrawing_ends_the_pledge_today(volunteer):
    pledge = PledgeFactory(member=volunteer)

    services.withdraw_pledge(actor=volunteer.user, pledge=pledge)

    pledge.refresh_from_db()
    assert pledge.end == selectors.today()


@pytest.mark.django_db
def test_someone_else_cannot_withdraw_a_pledge(volunteer):
    pledge = PledgeFactory()

    with pytest.raises(PermissionDenied):
        services.withdraw_pledge(actor=volunteer.user, pledge=pledge)


# ---------------------------------------------------------------- initiatives


@pytest.mark.django_db
def test_member_proposes_an_idea_they_lead(member):
    initiative = services.create_initiative(
        actor=member.user,
        title="Quiz",
        goal="Test knowledge",
        pillar=default_pillar(),
        effort_hours=6,
        skills=["Quizzes"],
    )

    assert (initiative.status, initiative.lead, initiative.created_by) == ("idea", member.user, member.user)
    assert [t.name for t in initiative.skills.all()] == ["Quizzes"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"effort_hours": 0}, "effort_hours"),
        ({"effort_hours": -3}, "effort_hours"),
        ({"title": "  "}, "title"),
        ({"start_date": "later", "target_date": "earlier"}, "target_date"),
    ],
)
def test_initiative_bad_input_is_refused(ops, data, field):
    values = {"title": "Quiz", "goal": "Learn", "pillar": default_pillar(), "effort_hours": 5}
    if "start_date" in data:
        data = {"start_date": selectors.today(), "target_date": selectors.today() - timedelta(days=1)}
    values.update(data)

    with pytest.raises(ValidationError) as error:
        services.create_initiative(actor=ops.user, **values)

    assert field in error.value.message_dict


@pytest.mark.django_db
def test_only_product_ops_rank(member):
    initiative = InitiativeFactory(lead=member.user)

    with pytest.raises(ValidationError) as error:
        services.update_initiative(actor=member.user, initiative=initiative, version=1, rank=1)

    assert "rank" in error.value.message_dict


@pytest.mark.django_db
def test_a_stale_version_is_refused(ops):
    initiative = InitiativeFactory()
    services.update_initiative(actor=ops.user, initiative=initiative, version=1, effort_hours=12)

    with pytest.raises(ConcurrentEditError):
        services.update_initiative(actor=ops.user, initiative=initiative, version=1, effort_hours=20)

    initiative.refresh_from_db()
    assert (initiative.effort_hours, initiative.version) == (12, 2)


@pytest.mark.django_db
def test_members_edit_only_initiatives_they_lead(member):
    with pytest.raises(PermissionDenied):
        services.update_initiative(actor=member.user, initiative=InitiativeFactory(), version=1, title="Mine now")


@pytest.mark.django_db
def test_deprioritising_needs_a_reason_and_ends_pledges(ops):
    initiative = InitiativeFactory()
    pledge = PledgeFactory(initiative=initiative)
    with pytest.raises(ValidationError):
        services.move_initiative(actor=ops.user, initiative=initiative, status="deprioritised", version=1)

    services.move_initiative(actor=ops.user, initiative=initiative, status="deprioritised", version=1, reason="Too big")

    pledge.refresh_from_db()
    change = StatusChange.objects.get(initiative=initiative)
    assert (initiative.status, pledge.end) == ("deprioritised", selectors.today())
    assert (change.from_status, change.to_status, change.reason) == ("planned", "deprioritised", "Too big")
    assert Notification.objects.filter(recipient=pledge.member.user).count() == 1


@pytest.mark.django_db
def test_delivering_records_the_outcome(ops):
    initiative = InitiativeFactory(status="in_progress")

    services.move_initiative(actor=ops.user, initiative=initiative, status="delivered", version=1, outcome="20 PMs")

    initiative.refresh_from_db()
    assert (initiative.outcome, initiative.delivered_on) == ("20 PMs", selectors.today())


@pytest.mark.django_db
def test_an_initiative_with_history_is_archived_not_deleted(ops):
    initiative = InitiativeFactory()
    PledgeFactory(initiative=initiative)

    with pytest.raises(ValidationError):
        services.delete_initiative(actor=ops.user, initiative=initiative)
    services.archive_initiative(actor=ops.user, initiative=initiative)

    initiative.refresh_from_db()
    assert initiative.is_archived is True


@pytest.mark.django_db
def test_an_initiative_without_history_can_be_deleted(ops):
    initiative = InitiativeFactory()

    services.delete_initiative(actor=ops.user, initiative=initiative)

    assert not Initiative.objects.filter(pk=initiative.pk).exists()


@pytest.mark.django_db
def test_check_in_counts_time_and_starts_a_planned_initiative(volunteer):
    initiative = InitiativeFactory(effort_hours=5)
    PledgeFactory(initiative=initiative, member=volunteer)

    services.check_in(actor=volunteer.user, initiative=initiative, note="Drafted questions", minutes_spent=90)

    initiative.refresh_from_db()
    assert (initiative.spent_minutes, initiative.remaining_minutes, initiative.status) == (90, 210, "in_progress")


@pytest.mark.django_db
def test_check_in_is_refused_to_outsiders(member):
    with pytest.raises(PermissionDenied):
        services.check_in(actor=member.user, initiative=InitiativeFactory(), note="Hi", minutes_spent=10)


@pytest.mark.django_db
def test_absence_end_before_start_is_refused(volunteer):
    with pytest.raises(ValidationError) as error:
        services.declare_absence(
            actor=volunteer.user, start=selectors.today(), end=selectors.today() - timedelta(days=1)
        )

    assert "end" in error.value.message_dict


# ---------------------------------------------------------------- challenges


@pytest.mark.django_db
def test_raising_a_challenge_tells_product_ops(member, ops):
    challenge = services.raise_challenge(actor=member.user, title="Roadmaps differ", pillar=default_pillar())

    assert (challenge.status, challenge.author) == ("open", member.user)
    assert Notification.objects.get(recipient=ops.user).url == challenge.get_absolute_url()


@pytest.mark.django_db
def test_upvoting_twice_takes_the_vote_back(member):
    challenge = ChallengeFactory()

    assert services.toggle_vote(actor=member.user, challenge=challenge) is True
    assert challenge.vote_count == 1
    assert services.toggle_vote(actor=member.user, challenge=challenge) is False
    assert challenge.vote_count == 0


@pytest.mark.django_db
def test_product_ops_turn_a_challenge_into_an_initiative(ops):
    challenge = ChallengeFactory()

    initiative = services.create_initiative(
        actor=ops.user, challenge=challenge, title="Mentoring", goal="Pairs", pillar=default_pillar(), effort_hours=8
    )

    challenge.refresh_from_db()
    assert (challenge.status, initiative.challenge) == ("accepted", challenge)
    assert Notification.objects.filter(recipient=challenge.author).count() == 1


@pytest.mark.django_db
def test_members_cannot_accept_challenges(member):
    with pytest.raises(PermissionDenied):
        services.create_initiative(
            actor=member.user,
            challenge=ChallengeFactory(),
            title="Mine",
            goal="Mine",
            pillar=default_pillar(),
            effort_hours=3,
        )


@pytest.mark.django_db
def test_declining_needs_a_reason(ops):
    challenge = ChallengeFactory()
    with pytest.raises(ValidationError):
        services.decline_challenge(actor=ops.user, challenge=challenge, reason=" ")

    services.decline_challenge(actor=ops.user, challenge=challenge, reason="Out of scope")

    challenge.refresh_from_db()
    assert (challenge.status, challenge.decision_reason) == ("declined", "Out of scope")


@pytest.mark.django_db
def test_merging_moves_upvotes_once_per_person(ops, member):
    target, duplicate = ChallengeFactory(), ChallengeFactory()
    both, only_duplicate = MemberFactory().user, member.user
    for user, challenge in [(both, target), (both, duplicate), (only_duplicate, duplicate)]:
        services.toggle_vote(actor=user, challenge=challenge)

    services.merge_challenge(actor=ops.user, challenge=duplicate, into=target)

    target.refresh_from_db()
    assert target.vote_count == 2
    assert set(ChallengeVote.objects.filter(challenge=target).values_list("user_id", flat=True)) == {
        both.pk,
        only_duplicate.pk,
    }
    assert Challenge.objects.get(pk=duplicate.pk).merged_into == target


# ---------------------------------------------------------------- digest and signals


@pytest.mark.django_db
def test_digest_reminds_volunteers_with_check_ins_due(volunteer, ops):
    PledgeFactory(member=volunteer, start=monday() - timedelta(weeks=2))
    recent = make_member("volunteer")
    pledge = PledgeFactory(member=recent, start=monday() - timedelta(weeks=2))
    CheckInFactory(initiative=pledge.initiative, author=recent.user)

    result = services.send_digest()

    assert result["volunteers"] == 1
    assert Notification.objects.filter(recipient=volunteer.user).count() == 1
    assert not Notification.objects.filter(recipient=recent.user).exists()


@pytest.mark.django_db
def test_burnout_signals_reach_product_ops(volunteer, ops):
    initiative = InitiativeFactory(lead=volunteer.user, status="in_progress")
    PledgeFactory(initiative=initiative, member=volunteer, minutes_per_week=30, start=monday() - timedelta(weeks=6))
    for weeks_ago in (1, 2, 3):
        CheckInFactory(
            initiative=initiative, author=volunteer.user, minutes_spent=120, week=monday() - timedelta(weeks=weeks_ago)
        )

    overwork = selectors.overwork_signals()
    single = selectors.single_person_signals()
    services.send_digest()

    assert [(s.member, s.weeks, s.spent_minutes, s.pledged_minutes) for s in overwork] == [(volunteer, 3, 360, 120)]
    assert [s.initiative for s in single] == [initiative]
    body = Notification.objects.get(recipient=ops.user).body
    assert "rests on" in body
    assert "spent 6 h against 2 h" in body


@pytest.mark.django_db
def test_digest_command_sends_now(volunteer, capsys):
    from django.core.management import call_command

    PledgeFactory(member=volunteer, start=monday() - timedelta(weeks=2))

    call_command("send_initiative_digest")

    assert Notification.objects.filter(recipient=volunteer.user).count() == 1
    assert "queued" in capsys.readouterr().out


def _plan_order():
    plan, _inputs = selectors.capacity_plan()
    return [item.title for item in plan.initiatives]


@pytest.mark.django_db
def test_reprioritise_swaps_with_the_neighbour_and_ranks_the_plan(ops):
    first = InitiativeFactory(title="A", value=5)
    second = InitiativeFactory(title="B", value=3)
    third = InitiativeFactory(title="C", value=1)
    InitiativeFactory(title="Idea", status="idea", rank=7)

    services.reprioritise_initiative(actor=ops.user, initiative=third, version=third.version, up=True)

    ranks = dict(Initiative.objects.values_list("title", "rank"))
    versions = dict(Initiative.objects.values_list("title", "version"))
    assert _plan_order() == ["A", "C", "B"]
    assert ranks == {"A": 1, "C": 2, "B": 3, "Idea": 7}
    assert versions == {"A": first.version + 1, "C": 2, "B": second.version + 1, "Idea": 1}


@pytest.mark.django_db
def test_reprioritise_refuses_a_stale_version_and_the_ends_of_the_plan(ops):
    first = InitiativeFactory(title="A", rank=1)
    last = InitiativeFactory(title="B", rank=2)

    with pytest.raises(ConcurrentEditError):
        services.reprioritise_initiative(actor=ops.user, initiative=last, version=last.version - 1, up=True)
    with pytest.raises(ValidationError, match="already first"):
        services.reprioritise_initiative(actor=ops.user, initiative=first, version=first.version, up=True)
    with pytest.raises(ValidationError, match="already last"):
        services.reprioritise_initiative(actor=ops.user, initiative=last, version=last.version, up=False)

    assert list(Initiative.objects.order_by("title").values_list("rank", flat=True)) == [1, 2]


@pytest.mark.django_db
def test_only_product_ops_reprioritise(volunteer):
    initiative = InitiativeFactory(lead=volunteer.user)
    InitiativeFactory()

    with pytest.raises(PermissionDenied):
        services.reprioritise_initiative(
            actor=volunteer.user, initiative=initiative, version=initiative.version, up=False
        )
