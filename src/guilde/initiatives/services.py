"""Writes on challenges, initiatives, pledges, check-ins and absences.

Keyword-only, the acting user first, one transaction each. They raise `PermissionDenied` when
the actor may not, `ValidationError({field: message})` on bad input, `ConcurrentEditError` when
someone changed the row since the actor loaded it.
"""

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guilde.community import services as community_services
from guilde.community.models import Member, Pillar
from guilde.core.concurrency import claim_version
from guilde.initiatives import planner, selectors
from guilde.initiatives.enums import (
    ACTIVE_STATUSES,
    ENDS_PLEDGES,
    NEEDS_REASON,
    ChallengeStatus,
    InitiativeKind,
    InitiativeStatus,
)
from guilde.initiatives.models import (
    Absence,
    Challenge,
    ChallengeComment,
    ChallengeVote,
    CheckIn,
    Initiative,
    Pledge,
    StatusChange,
)
from guilde.notifications.enums import Verb
from guilde.notifications.services import notify

MAX_EFFORT_HOURS = 2000
MAX_PLEDGE_WEEKS = 52
MAX_CHECK_IN_MINUTES = 600
MAX_ABSENCE_DAYS = 366
INITIATIVE_FIELDS = (
    "title",
    "goal",
    "expected_outcome",
    "pillar",
    "kind",
    "effort_hours",
    "value",
    "rank",
    "start_date",
    "target_date",
    "lead",
    "skills",
)


def _require(actor: Any, perm: str, obj: Any = None) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied


def _clean_text(value: Any, *, limit: int | None = None) -> str:
    text = str(value or "").strip()
    return text[:limit] if limit else text


def format_minutes(minutes: int) -> str:
    """ "1 h", "45 min", "1 h 30" for messages."""
    hours_part, rest = divmod(int(minutes), 60)
    if hours_part and rest:
        return _("%(hours)s h %(minutes)s") % {"hours": hours_part, "minutes": f"{rest:02d}"}
    if hours_part:
        return _("%(hours)s h") % {"hours": hours_part}
    return _("%(minutes)s min") % {"minutes": rest}


# ---------------------------------------------------------------- challenges


def _validate_challenge(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    clean = {
        "title": " ".join(str(data.get("title") or "").split()),
        "description": _clean_text(data.get("description")),
        "affected": _clean_text(data.get("affected"), limit=200),
        "pillar": data.get("pillar"),
    }
    if not clean["title"]:
        errors["title"] = _("Give the challenge a short title.")
    elif len(clean["title"]) > 160:
        errors["title"] = _("Keep the title under 160 characters.")
    if not isinstance(clean["pillar"], Pillar) or clean["pillar"].is_archived:
        errors["pillar"] = _("Choose one of the community's pillars.")
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def raise_challenge(
    *, actor: Any, title: str, pillar: Pillar | None, description: str = "", affected: str = ""
) -> Challenge:
    """Records a challenge raised by a community member; product ops are told."""
    _require(actor, "initiatives.add_challenge")
    clean = _validate_challenge({"title": title, "pillar": pillar, "description": description, "affected": affected})
    challenge = Challenge.objects.create(author=actor, **clean)
    from guilde.accounts.models import User

    ops = User.objects.filter(role="product_ops", is_active=True).exclude(pk=actor.pk)
    notify(
        recipients=ops,
        verb=Verb.INITIATIVE_UPDATE,
        title=format_lazy(gettext_lazy("New challenge: {title}"), title=challenge.title),
        body=challenge.description[:500],
        url=challenge.get_absolute_url(),
        actor=actor,
        email=False,
    )
    return challenge


@transaction.atomic
def update_challenge(*, actor: Any, challenge: Challenge, version: int, **data: Any) -> Challenge:
    _require(actor, "initiatives.change_challenge", challenge)
    clean = _validate_challenge(data)
    claim_version(Challenge, challenge.pk, version)
    for key, value in clean.items():
        setattr(challenge, key, value)
    challenge.version = version + 1
    challenge.save(update_fields=[*clean, "updated_at"])
    return challenge


@transaction.atomic
def toggle_vote(*, actor: Any, challenge: Challenge) -> bool:
    """Upvotes the challenge, or takes the upvote back; True when the actor now upvotes it."""
    _require(actor, "initiatives.view_challenge", challenge)
    deleted, _rows = ChallengeVote.objects.filter(challenge=challenge, user=actor).delete()
    if deleted:
        Challenge.objects.filter(pk=challenge.pk).update(vote_count=F("vote_count") - 1)
        voted = False
    else:
        try:
            with transaction.atomic():
                ChallengeVote.objects.create(challenge=challenge, user=actor)
        except IntegrityError:  # a double click from two tabs: already counted
            return True
        Challenge.objects.filter(pk=challenge.pk).update(vote_count=F("vote_count") + 1)
        voted = True
    challenge.refresh_from_db(fields=["vote_count"])
    return voted


@transaction.atomic
def comment_challenge(*, actor: Any, challenge: Challenge, body: str) -> ChallengeComment:
    _require(actor, "initiatives.view_challenge", challenge)
    text = _clean_text(body)
    if not text:
        raise ValidationError({"body": _("Write something before posting.")})
    if len(text) > 5000:
        raise ValidationError({"body": _("Keep comments under 5,000 characters.")})
    comment = ChallengeComment.objects.create(challenge=challenge, author=actor, body=text)
    Challenge.objects.filter(pk=challenge.pk).update(comment_count=F("comment_count") + 1)
    if challenge.author_id != actor.pk:
        notify(
            recipients=[challenge.author],
            verb=Verb.INITIATIVE_UPDATE,
            title=format_lazy(gettext_lazy("New comment on your challenge “{title}”"), title=challenge.title),
            body=text[:500],
            url=challenge.get_absolute_url(),
            actor=actor,
            email=False,
        )
    return comment


def _decide(
    *, actor: Any, challenge: Challenge, status: str, reason: str, merged_into: Challenge | None = None
) -> None:
    if not actor.has_perm("initiatives.manage"):
        raise PermissionDenied
    if challenge.status != ChallengeStatus.OPEN:
        raise ValidationError({"__all__": _("This challenge was already decided.")})
    challenge.status = status
    challenge.decision_reason = reason
    challenge.decided_by = actor
    challenge.decided_at = timezone.now()
    challenge.merged_into = merged_into
    challenge.version += 1
    challenge.save(
        update_fields=["status", "decision_reason", "decided_by", "decided_at", "merged_into", "version", "updated_at"]
    )


@transaction.atomic
def decline_challenge(*, actor: Any, challenge: Challenge, reason: str) -> Challenge:
    """Declines with a reason the author is told."""
    reason = _clean_text(reason)
    if not reason:
        raise ValidationError({"reason": _("Say why, so the author understands the decision.")})
    _decide(actor=actor, challenge=challenge, status=ChallengeStatus.DECLINED, reason=reason)
    notify(
        recipients=[challenge.author],
        verb=Verb.INITIATIVE_UPDATE,
        title=format_lazy(gettext_lazy("Your challenge “{title}” was declined"), title=challenge.title),
        body=reason,
        url=challenge.get_absolute_url(),
        actor=actor,
    )
    return challenge


@transaction.atomic
def merge_challenge(*, actor: Any, challenge: Challenge, into: Challenge | None, reason: str = "") -> Challenge:
    """Merges a duplicate into another challenge; its upvotes move there (once per person)."""
    if into is None or into.pk == challenge.pk:
        raise ValidationError({"into": _("Choose another challenge to merge into.")})
    _decide(
        actor=actor, challenge=challenge, status=ChallengeStatus.MERGED, reason=_clean_text(reason), merged_into=into
    )
    already = ChallengeVote.objects.filter(challenge=into).values("user_id")
    moved = ChallengeVote.objects.filter(challenge=challenge).exclude(user_id__in=already).update(challenge=into)
    Challenge.objects.filter(pk=into.pk).update(vote_count=F("vote_count") + moved)
    notify(
        recipients=[challenge.author],
        verb=Verb.INITIATIVE_UPDATE,
        title=format_lazy(gettext_lazy("Your challenge “{title}” was merged"), title=challenge.title),
        body=into.title,
        url=into.get_absolute_url(),
        actor=actor,
        email=False,
    )
    return challenge


# ---------------------------------------------------------------- initiatives


def _validate_initiative(data: dict[str, Any], *, actor: Any) -> dict[str, Any]:
    errors: dict[str, str] = {}
    clean = dict(data)
    unknown = set(clean) - set(INITIATIVE_FIELDS)
    if unknown:
        raise ValidationError(
            {"__all__": _("These fields cannot be changed here: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}}
        )
    if "title" in clean:
        clean["title"] = " ".join(str(clean["title"] or "").split())
        if not clean["title"]:
            errors["title"] = _("Give the initiative a short title.")
        elif len(clean["title"]) > 160:
            errors["title"] = _("Keep the title under 160 characters.")
    if "goal" in clean:
        clean["goal"] = _clean_text(clean["goal"])
        if not clean["goal"]:
            errors["goal"] = _("Say what this initiative changes for the community.")
    if "expected_outcome" in clean:
        clean["expected_outcome"] = _clean_text(clean["expected_outcome"])
    if "pillar" in clean and (not isinstance(clean["pillar"], Pillar) or clean["pillar"].is_archived):
        errors["pillar"] = _("Choose one of the community's pillars.")
    if "kind" in clean and clean["kind"] not in InitiativeKind.values:
        errors["kind"] = _("Choose a kind from the list.")
    if "effort_hours" in clean:
        effort = clean["effort_hours"]
        if not isinstance(effort, int) or isinstance(effort, bool) or not 1 <= effort <= MAX_EFFORT_HOURS:
            errors["effort_hours"] = _("Give the effort in whole person-hours, between 1 and 2,000.")
    if "value" in clean and (not isinstance(clean["value"], int) or not 1 <= clean["value"] <= 5):
        errors["value"] = _("Give a value between 1 and 5.")
    if "rank" in clean:
        if not isinstance(clean["rank"], int) or not 1 <= clean["rank"] <= 10000:
            errors["rank"] = _("Give a rank between 1 and 10,000.")
        elif not actor.has_perm("initiatives.manage"):
            errors["rank"] = _("Only product ops rank initiatives.")
    start, target = clean.get("start_date"), clean.get("target_date")
    if start and target and target < start:
        errors["target_date"] = _("The target date cannot be before the start.")
    if "lead" in clean and clean["lead"] is not None and not clean["lead"].is_active:
        errors["lead"] = _("Choose an active member as lead.")
    if errors:
        raise ValidationError(errors)
    return clean


def _notify_team(initiative: Initiative, *, actor: Any, title: Any, body: Any = "", email: bool = True) -> None:
    people = {
        p.member.user for p in initiative.pledges.filter(end__gte=selectors.today()).select_related("member__user")
    }
    if initiative.lead is not None:
        people.add(initiative.lead)
    notify(
        recipients=[p for p in people if p.pk != actor.pk],
        verb=Verb.INITIATIVE_UPDATE,
        title=title,
        body=body,
        url=initiative.get_absolute_url(),
        actor=actor,
        email=email,
    )


@transaction.atomic
def create_initiative(*, actor: Any, challenge: Challenge | None = None, **data: Any) -> Initiative:
    """Creates an initiative; from an open challenge (product ops only) it also accepts that challenge.

    Members propose ideas they lead; product ops may create them in any planned state.
    """
    _require(actor, "initiatives.add_initiative")
    skills = data.pop("skills", None)
    if "lead" not in data:
        data["lead"] = actor
    clean = _validate_initiative({**data, **({"skills": skills} if skills is not None else {})}, actor=actor)
    clean.pop("skills", None)
    missing = {
        name: _("This field is required.") for name in ("title", "goal", "pillar", "effort_hours") if name not in clean
    }
    if missing:
        raise ValidationError(missing)
    if challenge is not None:
        if not actor.has_perm("initiatives.manage"):
            raise PermissionDenied
        if challenge.status not in (ChallengeStatus.OPEN, ChallengeStatus.ACCEPTED):
            raise ValidationError({"challenge": _("This challenge was merged or declined.")})
    initiative = Initiative.objects.create(created_by=actor, challenge=challenge, **clean)
    if skills:
        initiative.skills.set(community_services.tags_for(names=skills))
    if challenge is not None and challenge.status == ChallengeStatus.OPEN:
        _decide(actor=actor, challenge=challenge, status=ChallengeStatus.ACCEPTED, reason="")
        notify(
            recipients=[challenge.author],
            verb=Verb.INITIATIVE_UPDATE,
            title=format_lazy(gettext_lazy("Your challenge “{title}” became an initiative"), title=challenge.title),
            body=initiative.title,
            url=initiative.get_absolute_url(),
            actor=actor,
        )
    return initiative


@transaction.atomic
def update_initiative(*, actor: Any, initiative: Initiative, version: int, **data: Any) -> Initiative:
    """Changes the fields given; refuses a stale `version` with ConcurrentEditError."""
    _require(actor, "initiatives.change_initiative", initiative)
    merged = {
        "start_date": initiative.start_date,
        "target_date": initiative.target_date,
        **data,
    }
    clean = _validate_initiative(merged, actor=actor)
    if "rank" in data and data["rank"] == initiative.rank:
        clean.pop("rank")
    skills = clean.pop("skills", None)
    claim_version(Initiative, initiative.pk, version)
    fields = [key for key in clean if key in data or key in ("start_date", "target_date")]
    for key in fields:
        setattr(initiative, key, clean[key])
    initiative.version = version + 1
    initiative.save(update_fields=[*fields, "updated_at"])
    if skills is not None:
        initiative.skills.set(community_services.tags_for(names=skills))
    return initiative


@transaction.atomic
def move_initiative(
    *, actor: Any, initiative: Initiative, status: str, version: int, reason: str = "", outcome: str = ""
) -> Initiative:
    """Moves an initiative to another status, keeping the history.

    Pausing, deprioritising or abandoning needs a reason; delivering records the outcome. Those
    four end the initiative's pledges today, so its volunteers' hours are free again, and tell them.
    """
    _require(actor, "initiatives.change_initiative", initiative)
    if status not in InitiativeStatus.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    reason, outcome = _clean_text(reason), _clean_text(outcome)
    if status in NEEDS_REASON and not reason:
        raise ValidationError({"reason": _("Say why, so volunteers and the author of the challenge understand.")})
    if status == initiative.status:
        return initiative
    claim_version(Initiative, initiative.pk, version)
    StatusChange.objects.create(
        initiative=initiative, from_status=initiative.status, to_status=status, reason=reason or outcome, actor=actor
    )
    initiative.status = status
    initiative.status_reason = reason
    initiative.version = version + 1
    fields = ["status", "status_reason", "version", "updated_at"]
    if status == InitiativeStatus.DELIVERED:
        initiative.outcome = outcome or initiative.outcome
        initiative.delivered_on = selectors.today()
        fields += ["outcome", "delivered_on"]
    initiative.save(update_fields=fields)
    if status in ENDS_PLEDGES:
        day = selectors.today()
        _notify_team(
            initiative,
            actor=actor,
            title=format_lazy(
                gettext_lazy("“{title}” is now {status}"),
                title=initiative.title,
                status=InitiativeStatus(status).label,
            ),
            body=reason or outcome,
        )
        Pledge.objects.filter(initiative=initiative, end__gte=day, start__lte=day).update(end=day)
        Pledge.objects.filter(initiative=initiative, start__gt=day).delete()
    return initiative


@transaction.atomic
def reprioritise_initiative(*, actor: Any, initiative: Initiative, version: int, up: bool) -> Initiative:
    """Swaps an initiative with its neighbour in the planner's priority order (product ops' "move up/down").

    The planned and running initiatives are then ranked 1, 2, 3… in that order, so the swap holds
    whatever their value and effort; every row whose rank changes gets a new version, so an edit
    form opened before the move cannot quietly put the old rank back.
    """
    _require(actor, "initiatives.manage")
    rows = list(
        Initiative.objects.filter(is_archived=False, status__in=ACTIVE_STATUSES).only(
            "id", "title", "pillar_id", "rank", "value", "effort_hours", "target_date"
        )
    )
    ordered = sorted(
        rows,
        key=lambda i: planner.priority_key(
            planner.PlannedInitiative(
                id=i.pk,
                title=i.title,
                pillar_id=i.pillar_id,
                remaining_minutes=0,
                target_date=i.target_date,
                rank=i.rank,
                value=i.value,
                effort_hours=i.effort_hours,
            )
        ),
    )
    position = next((index for index, row in enumerate(ordered) if row.pk == initiative.pk), None)
    if position is None:
        raise ValidationError(_("Only planned and running initiatives have a place in the plan."))
    other = position - 1 if up else position + 1
    if not 0 <= other < len(ordered):
        raise ValidationError(_("It is already first.") if up else _("It is already last."))
    claim_version(Initiative, initiative.pk, version)
    ordered[position], ordered[other] = ordered[other], ordered[position]
    for rank, row in enumerate(ordered, start=1):
        if row.pk == initiative.pk:
            Initiative.objects.filter(pk=row.pk).update(rank=rank)
        elif row.rank != rank:
            Initiative.objects.filter(pk=row.pk).update(rank=rank, version=F("version") + 1)
    initiative.refresh_from_db(fields=["rank", "version"])
    return initiative


@transaction.atomic
def archive_initiative(*, actor: Any, initiative: Initiative, archived: bool = True) -> Initiative:
    """Archives (hides from boards, lists and the planner) or restores; the history stays."""
    _require(actor, "initiatives.manage")
    initiative.is_archived = archived
    initiative.archived_at = timezone.now() if archived else None
    initiative.save(update_fields=["is_archived", "archived_at", "updated_at"])
    if archived:
        day = selectors.today()
        Pledge.objects.filter(initiative=initiative, end__gte=day, start__lte=day).update(end=day)
    return initiative


@transaction.atomic
def delete_initiative(*, actor: Any, initiative: Initiative) -> None:
    """Deletes an initiative nobody worked on yet; one with pledges, check-ins or moves is archived instead."""
    _require(actor, "initiatives.delete_initiative", initiative)
    if selectors.has_history(initiative):
        raise ValidationError(
            {"__all__": _("This initiative has pledges, check-ins or a history: archive it instead of deleting it.")}
        )
    initiative.delete()


# ---------------------------------------------------------------- pledges


def _week_starts(start: date, end: date) -> list[date]:
    monday = planner.week_start(start)
    weeks = []
    while monday <= end:
        weeks.append(monday)
        monday += timedelta(weeks=1)
    return weeks


def check_pledge_fits(
    *, member: Member, minutes_per_week: int, start: date, end: date, exclude: int | None = None
) -> None:
    """Raises a ValidationError naming what is already pledged if the new pledge overflows a week."""
    others = selectors.pledged_by_week(member=member, start=start, end=end, exclude=exclude)
    worst_week, worst_total, worst_pledges = None, 0, []
    for monday in _week_starts(start, end):
        sunday = monday + timedelta(days=6)
        active = [p for p in others if p.start <= sunday and p.end >= monday]
        total = sum(p.minutes_per_week for p in active)
        if worst_week is None or total > worst_total:
            worst_week, worst_total, worst_pledges = monday, total, active
    if worst_total + minutes_per_week <= member.weekly_minutes:
        return
    left = max(0, member.weekly_minutes - worst_total)
    details = ", ".join(
        _("%(initiative)s: %(time)s") % {"initiative": p.initiative.title, "time": format_minutes(p.minutes_per_week)}
        for p in worst_pledges
    )
    values = {
        "commitment": format_minutes(member.weekly_minutes),
        "pledged": format_minutes(worst_total),
        "details": details,
        "week": planner.short_date(worst_week) if worst_week else "",
        "left": format_minutes(left),
    }
    if worst_total:
        message = (
            _(
                "You give the community %(commitment)s a week and already pledged %(pledged)s in the week of %(week)s "
                "(%(details)s). You can pledge up to %(left)s more."
            )
            % values
        )
    else:
        message = (
            _(
                "You give the community %(commitment)s a week: pledge at most that much, or raise your weekly time "
                "in your profile."
            )
            % values
        )
    raise ValidationError({"minutes_per_week": message}, code="over_capacity")


@transaction.atomic
def pledge(*, actor: Any, initiative: Initiative, minutes_per_week: int, start: date, end: date) -> Pledge:
    """The actor pledges weekly time to an initiative for a period, within their weekly commitment.

    The actor's profile row is locked first (select_for_update; SQLite serialises writers with
    IMMEDIATE transactions), so two pledges sent at the same moment cannot both pass the check.
    """
    _require(actor, "initiatives.pledge", initiative)
    member = Member.objects.select_for_update().filter(user=actor).first()
    if member is None or not member.is_volunteer:
        raise PermissionDenied
    errors: dict[str, str] = {}
    if not isinstance(minutes_per_week, int) or isinstance(minutes_per_week, bool) or minutes_per_week <= 0:
        errors["minutes_per_week"] = _("Pledge a positive number of minutes a week.")
    if start is None:
        errors["start"] = _("Give the first day of your pledge.")
    if end is None:
        errors["end"] = _("Give the last day of your pledge.")
    if start and end:
        if end < start:
            errors["end"] = _("The end cannot be before the start.")
        elif (end - start).days > MAX_PLEDGE_WEEKS * 7:
            errors["end"] = _("Pledge for a year at most; you can pledge again later.")
        if start < planner.week_start(selectors.today()):
            errors["start"] = _("A pledge starts this week or later.")
    if errors:
        raise ValidationError(errors)
    check_pledge_fits(member=member, minutes_per_week=minutes_per_week, start=start, end=end)
    created = Pledge.objects.create(
        initiative=initiative, member=member, minutes_per_week=minutes_per_week, start=start, end=end
    )
    if initiative.lead is not None and initiative.lead_id != actor.pk:
        notify(
            recipients=[initiative.lead],
            verb=Verb.INITIATIVE_UPDATE,
            title=format_lazy(
                gettext_lazy("{name} pledged {time} a week to “{title}”"),
                name=actor.full_name or actor.email,
                time=format_minutes(minutes_per_week),
                title=initiative.title,
            ),
            url=initiative.get_absolute_url(),
            actor=actor,
            email=False,
        )
    return created


@transaction.atomic
def withdraw_pledge(*, actor: Any, pledge: Pledge) -> None:
    """Ends a pledge today (one not started yet disappears); the time already given stays counted."""
    _require(actor, "initiatives.change_pledge", pledge)
    day = selectors.today()
    if pledge.start > day:
        pledge.delete()
        return
    if pledge.end > day:
        pledge.end = day
        pledge.save(update_fields=["end", "updated_at"])


# ---------------------------------------------------------------- check-ins and absences


@transaction.atomic
def check_in(*, actor: Any, initiative: Initiative, note: str, minutes_spent: int, week: date | None = None) -> CheckIn:
    """Records progress and time spent; the initiative's spent time (and remaining effort) follow."""
    _require(actor, "initiatives.check_in", initiative)
    errors: dict[str, str] = {}
    note = _clean_text(note)
    if not note:
        errors["note"] = _("Say in a sentence what moved forward.")
    if (
        not isinstance(minutes_spent, int)
        or isinstance(minutes_spent, bool)
        or not 0 <= minutes_spent <= MAX_CHECK_IN_MINUTES
    ):
        errors["minutes_spent"] = _("Give the time spent in minutes, between 0 and 600.")
    day = selectors.today()
    monday = planner.week_start(week or day)
    if monday > day:
        errors["week"] = _("A check-in is about time already spent, not a future week.")
    if errors:
        raise ValidationError(errors)
    row = CheckIn.objects.create(
        initiative=initiative, author=actor, note=note, minutes_spent=minutes_spent, week=monday
    )
    Initiative.objects.filter(pk=initiative.pk).update(spent_minutes=F("spent_minutes") + minutes_spent)
    if initiative.status == InitiativeStatus.PLANNED:
        StatusChange.objects.create(
            initiative=initiative, from_status=initiative.status, to_status=InitiativeStatus.IN_PROGRESS, actor=actor
        )
        Initiative.objects.filter(pk=initiative.pk).update(
            status=InitiativeStatus.IN_PROGRESS, version=F("version") + 1
        )
    initiative.refresh_from_db(fields=["spent_minutes", "status", "version"])
    return row


@transaction.atomic
def declare_absence(*, actor: Any, start: date, end: date, note: str = "") -> Absence:
    """Declares a period away: the planner counts the actor out for those working days."""
    _require(actor, "initiatives.browse")
    member = selectors.member_of(user=actor) or community_services.ensure_member(user=actor)
    errors: dict[str, str] = {}
    if start is None:
        errors["start"] = _("Give the first day away.")
    if end is None:
        errors["end"] = _("Give the last day away.")
    if start and end:
        if end < start:
            errors["end"] = _("The end cannot be before the start.")
        elif (end - start).days > MAX_ABSENCE_DAYS:
            errors["end"] = _("Declare a year at most.")
        elif end < selectors.today():
            errors["end"] = _("This period is already over.")
    if errors:
        raise ValidationError(errors)
    return Absence.objects.create(member=member, start=start, end=end, note=_clean_text(note, limit=120))


@transaction.atomic
def delete_absence(*, actor: Any, absence: Absence) -> None:
    _require(actor, "initiatives.change_absence", absence)
    absence.delete()


# ---------------------------------------------------------------- digest


def send_digest(*, on: date | None = None) -> dict[str, int]:
    """The weekly digest: each volunteer with check-ins due hears of them once; product ops hear of
    burnout signals (someone spending far more than pledged, an initiative resting on one person).

    Each notification is written in its own transaction (inside `notify`), so one failing
    recipient does not cancel the others' reminders.
    """
    from guilde.accounts.models import User

    day = on or selectors.today()
    sent = {"volunteers": 0, "product_ops": 0}
    for user, pledges in selectors.due_check_ins(on=day).items():
        lines = "\n".join(f"- {p.initiative.title}" for p in pledges)
        notify(
            recipients=[user],
            verb=Verb.INITIATIVE_UPDATE,
            title=format_lazy(gettext_lazy("Check-in due on {count} initiative(s)"), count=len(pledges)),
            body=format_lazy(
                "{}\n{}", gettext_lazy("A line on progress and the time spent keeps the plan honest:"), lines
            ),
            url="/initiatives/mine/",
        )
        sent["volunteers"] += 1
    overwork = selectors.overwork_signals(on=day)
    single = selectors.single_person_signals(on=day)
    if overwork or single:
        lines_out: list[Any] = [
            format_lazy(
                gettext_lazy("{name} spent {spent} against {pledged} pledged over the last 4 weeks"),
                name=signal.member.user.full_name,
                spent=format_minutes(signal.spent_minutes),
                pledged=format_minutes(signal.pledged_minutes),
            )
            for signal in overwork
        ]
        lines_out += [
            format_lazy(gettext_lazy("“{title}” rests on {name} alone"), title=item.initiative.title, name=item.person)
            for item in single
        ]
        ops = list(User.objects.filter(role="product_ops", is_active=True))
        notify(
            recipients=ops,
            verb=Verb.INITIATIVE_UPDATE,
            title=format_lazy(gettext_lazy("Volunteer care: {count} signal(s) this week"), count=len(lines_out)),
            body=format_lazy("\n".join("- {}" for _line in lines_out), *lines_out),
            url="/initiatives/planner/",
        )
        sent["product_ops"] = len(ops)
    return sent
