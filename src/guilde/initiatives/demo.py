# ruff: noqa: E501  (data tables read better one row per line)
"""Demo data: about 25 initiatives across the four pillars, some on track and some too ambitious
for the volunteers' time, with the challenges they came from, pledges and check-ins.

Idempotent: rows are found by title and created only when missing. Dates are relative to today,
so the plan stays meaningful whenever the demo is seeded.
"""

from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from guilde.community import selectors as community_selectors
from guilde.community import services as community_services
from guilde.community.models import Member
from guilde.initiatives.enums import ChallengeStatus
from guilde.initiatives.models import (
    Challenge,
    ChallengeComment,
    ChallengeVote,
    CheckIn,
    Initiative,
    Pledge,
    StatusChange,
)

IDEA, PLANNED, IN_PROGRESS, DELIVERED = "idea", "planned", "in_progress", "delivered"
PAUSED, DEPRIORITISED, ABANDONED = "paused", "deprioritised", "abandoned"

# title, pillar (1-4), kind, effort h, weeks to target, status, lead, [(volunteer, min/week)], spent h, skills
INITIATIVES: list[tuple[str, int, str, int, int, str, str, list[tuple[str, int]], int, str]] = [
    ("Product discovery quiz", 3, "quiz", 6, 8, IN_PROGRESS, "emma.garcia", [("emma.garcia", 30), ("pauline.blanc", 30)], 2, "Quizzes, Discovery"),
    ("Mentoring pairs for new PMs", 3, "mentoring", 10, 10, PLANNED, "pm", [("pm", 30), ("ines.morel", 30)], 0, "Mentoring"),
    ("Coaching: pitching an initiative", 2, "coaching", 6, 6, IN_PROGRESS, "jessica.walker", [("maxime.fournier", 60)], 1, "Coaching, Public speaking"),
    ("Product ops playbook, first version", 1, "content", 60, 8, IN_PROGRESS, "ops", [("ops", 30), ("jordan.miller", 30)], 5, "Product ops, Writing specs"),
    ("Feedback triage guild with support", 2, "process", 12, 6, PLANNED, "laura.perrin", [("chloe.roux", 30)], 0, "Feedback management"),
    ("Roles and responsibilities workshop", 1, "workshop", 8, 8, PLANNED, "laura.perrin", [("nathalie.chevalier", 60)], 0, "Facilitation, Workshops"),
    ("Inspiration talks: product leaders from elsewhere", 4, "event", 16, 12, PLANNED, "ryan.clark", [("ryan.clark", 30), ("olivia.wright", 30)], 0, "Public speaking"),
    ("Design critique ritual", 3, "workshop", 5, 10, IN_PROGRESS, "sarah.lewis", [("sarah.lewis", 30)], 3, "Design critique"),
    ("Onboarding path for new PMs", 3, "content", 40, 6, PLANNED, "julien.andre", [("julien.andre", 30), ("manon.girard", 30)], 0, "Onboarding, Mentoring"),
    ("One roadmap template for every team", 1, "tooling", 24, 14, IDEA, "jordan.miller", [], 0, "Roadmapping, Tooling"),
    ("Discovery interview bank", 2, "content", 10, 6, IN_PROGRESS, "designer", [("manon.girard", 30)], 2, "UX research, Customer discovery"),
    ("Quarterly inspiration newsletter", 4, "content", 6, 12, PLANNED, "megan.hall", [("olivia.wright", 30)], 0, "Knowledge sharing"),
    ("US and EU exchange session format", 1, "event", 4, -3, DELIVERED, "emma.garcia", [], 4, "Facilitation"),
    ("Quiz: what makes a useful feedback", 2, "quiz", 4, -5, DELIVERED, "pauline.blanc", [], 4, "Quizzes, Feedback management"),
    ("Pricing masterclass", 4, "workshop", 12, 16, IDEA, "david.young", [], 0, "Pricing"),
    ("Coaching on data-informed decisions", 3, "coaching", 8, 16, PLANNED, "alexandre.lambert", [("pauline.blanc", 30)], 0, "Experimentation, KPIs"),
    ("What leading an initiative counts for in careers", 1, "process", 20, 8, PAUSED, "ops", [], 2, "Career paths"),
    ("Accessibility learning path", 3, "content", 30, 20, DEPRIORITISED, "sarah.lewis", [], 0, "Accessibility"),
    ("Conference report-backs", 4, "event", 6, 8, IN_PROGRESS, "jordan.miller", [("jordan.miller", 30)], 2, "Knowledge sharing"),
    ("Definition of done for discovery", 2, "process", 6, 12, PLANNED, "lucas.bonnet", [("ines.morel", 30)], 0, "Discovery"),
    ("Customer visit shadowing programme", 4, "event", 20, 12, IDEA, "amelie.rousseau", [], 0, "Customer discovery"),
    ("Product ops office hours", 1, "process", 6, 12, IN_PROGRESS, "ops", [("ops", 30)], 1, "Facilitation"),
    ("Shared product glossary in French and English", 3, "content", 8, 12, PLANNED, "antoine.mercier", [("chloe.roux", 30)], 0, "Writing specs, Localisation"),
    ("Benchmark: how other companies run product communities", 4, "content", 15, 8, PLANNED, "maxime.fournier", [], 0, "Community building"),
    ("Retro on the feedback process", 2, "workshop", 3, -2, DELIVERED, "chloe.roux", [], 3, "Facilitation"),
    ("Mentoring for mentors", 3, "mentoring", 10, 8, ABANDONED, "nathalie.chevalier", [], 1, "Mentoring, Coaching"),
]  # fmt: skip

REASONS = {
    PAUSED: "Waiting for the HR career framework update in the spring.",
    DEPRIORITISED: "Too ambitious for the time we have this quarter: 30 h with nobody free.",
    ABANDONED: "Merged into the mentoring pairs: one programme is enough.",
}
OUTCOMES = {
    "US and EU exchange session format": "Two cross-region sessions held, 34 attendees, 4.6/5 satisfaction.",
    "Quiz: what makes a useful feedback": "52 sales and support colleagues took it; useful feedback rose from 38 % to 61 %.",
    "Retro on the feedback process": "Five changes agreed with support; triage time halved.",
}

# title, pillar, raised by, affected, status, initiative it became, upvoters
CHALLENGES: list[tuple[str, int, str, str, str, str, list[str]]] = [
    ("New PMs take months to find who knows what", 3, "megan.hall", "New PMs, especially in the US teams", ChallengeStatus.ACCEPTED, "Mentoring pairs for new PMs", ["pm", "emma.garcia", "ryan.clark", "chris.evans"]),
    ("Nobody knows who decides on the roadmap", 1, "laura.perrin", "PMs and their managers", ChallengeStatus.ACCEPTED, "Roles and responsibilities workshop", ["maxime.fournier", "antoine.mercier", "designer"]),
    ("Feedback from support gets lost", 2, "nicolas.petit", "Support and product teams", ChallengeStatus.ACCEPTED, "Feedback triage guild with support", ["chloe.roux", "olivia.wright", "brittany.davis", "jordan.miller", "pm"]),
    ("We never hear how other companies do it", 4, "alexandre.lambert", "Everyone", ChallengeStatus.OPEN, "", ["ryan.clark", "maxime.fournier"]),
    ("Pitching an initiative to leadership is scary", 2, "jessica.walker", "PMs who lead initiatives", ChallengeStatus.ACCEPTED, "Coaching: pitching an initiative", ["megan.hall", "lucas.bonnet"]),
    ("Every team has its own roadmap template", 1, "david.young", "PMs and stakeholders reading roadmaps", ChallengeStatus.OPEN, "", ["kevin.anderson", "jordan.miller", "ashley.johnson"]),
    ("Too many meetings to join community sessions", 1, "lucas.bonnet", "PMs in Lyon", ChallengeStatus.DECLINED, "", ["amelie.rousseau"]),
    ("Our discovery interviews are not shared", 2, "manon.girard", "Designers and PMs", ChallengeStatus.OPEN, "", ["designer", "camille.faure", "pm", "sarah.lewis"]),
]  # fmt: skip
DECLINE_REASON = "Session times are set by the rituals team; we moved one slot to the Lyon lunch hour instead."

# An overworked volunteer for the burnout signal: minutes spent per week in the last weeks.
OVERWORK = ("Design critique ritual", "sarah.lewis", [120, 150, 110])


def _email(handle: str) -> str:
    return f"{handle}@guilde.test"


def _users(handles: set[str]) -> dict[str, Any]:
    users = get_user_model().objects.filter(email__in=[_email(h) for h in handles])
    return {user.email.split("@")[0]: user for user in users}


@transaction.atomic
def seed_initiatives() -> str:
    """Challenges, initiatives, pledges and check-ins over the demo community."""
    day = timezone.localdate()
    monday = day - timedelta(days=day.weekday())
    community = community_selectors.get_community()
    pillars = dict(enumerate(community.pillars.order_by("position", "id")[:4], start=1))
    handles = {row[6] for row in INITIATIVES} | {h for row in INITIATIVES for h, _m in row[7]}
    handles |= {row[2] for row in CHALLENGES} | {h for row in CHALLENGES for h in row[6]} | {"ops", OVERWORK[1]}
    users = _users(handles)
    if "ops" not in users or len(pillars) < 4:
        return "initiatives: skipped (run the community step first)"
    ops = users["ops"]
    members = {m.user_id: m for m in Member.objects.filter(user__in=list(users.values()))}
    created = 0
    by_title: dict[str, Initiative] = {}
    for title, pillar, kind, effort, weeks, status, lead, pledges, spent, skills in INITIATIVES:
        existing = Initiative.objects.filter(title=title).first()
        if existing is not None:
            by_title[title] = existing
            continue
        created += 1
        started = min(monday, day + timedelta(weeks=weeks)) - timedelta(weeks=4)
        target = day + timedelta(weeks=weeks)
        initiative = Initiative.objects.create(
            title=title,
            goal=f"{title}: a tactical action the community can deliver with about an hour a week per volunteer.",
            expected_outcome="Members say it helped them in their day-to-day work (pulse survey).",
            pillar=pillars[pillar],
            kind=kind,
            effort_hours=effort,
            value=3 + (created % 3),
            rank=10 * created,
            start_date=started if status in (IN_PROGRESS, DELIVERED) else None,
            target_date=target,
            lead=users.get(lead),
            status=status,
            status_reason=REASONS.get(status, ""),
            outcome=OUTCOMES.get(title, ""),
            delivered_on=target if status == DELIVERED else None,
            created_by=ops,
        )
        initiative.skills.set(community_services.tags_for(names=skills.split(",")))
        by_title[title] = initiative
        if status != IDEA:
            StatusChange.objects.create(initiative=initiative, from_status=IDEA, to_status=PLANNED, actor=ops)
        if status not in (IDEA, PLANNED):
            StatusChange.objects.create(
                initiative=initiative,
                from_status=PLANNED,
                to_status=status,
                reason=REASONS.get(status, OUTCOMES.get(title, "")),
                actor=ops,
            )
        pledge_start = started if status == IN_PROGRESS else monday
        for handle, minutes in pledges:
            Pledge.objects.create(
                initiative=initiative,
                member=members[users[handle].pk],
                minutes_per_week=minutes,
                start=pledge_start,
                end=target,
            )
        _seed_check_ins(initiative, users, lead, pledges, spent, monday)
    challenges = _seed_challenges(users, by_title, ops)
    return f"initiatives: {created} initiatives and {challenges} challenges created"


def _seed_check_ins(initiative, users, lead, pledges, spent_hours, monday: date) -> None:  # type: ignore[no-untyped-def]
    """Spreads the hours already spent over weekly check-ins in the past weeks."""
    minutes_left = spent_hours * 60
    people = [h for h, _m in pledges] or [lead]
    # Delivered work was done before its target date, not in the last few weeks.
    if initiative.target_date and initiative.target_date < monday:
        monday = initiative.target_date - timedelta(days=initiative.target_date.weekday())
    week = 1
    notes = ["Kick-off done, plan agreed.", "First draft shared for comments.", "Feedback folded in.", "Dry run."]
    while minutes_left > 0:
        author = users.get(people[week % len(people)])
        if author is None:
            break
        minutes = min(30, minutes_left)
        CheckIn.objects.create(
            initiative=initiative,
            author=author,
            note=notes[week % len(notes)],
            minutes_spent=minutes,
            week=monday - timedelta(weeks=week),
        )
        minutes_left -= minutes
        week += 1
    title, handle, weeks = OVERWORK
    extra = 0
    if initiative.title == title and handle in users:
        for offset, minutes in enumerate(weeks, start=1):
            CheckIn.objects.create(
                initiative=initiative,
                author=users[handle],
                note="Prepared and ran the critique; spent longer than planned.",
                minutes_spent=minutes,
                week=monday - timedelta(weeks=offset),
            )
            extra += minutes
    initiative.spent_minutes = spent_hours * 60 + extra
    initiative.save(update_fields=["spent_minutes"])


def _seed_challenges(users, by_title, ops) -> int:  # type: ignore[no-untyped-def]
    created = 0
    community = community_selectors.get_community()
    pillars = dict(enumerate(community.pillars.order_by("position", "id")[:4], start=1))
    for title, pillar, author, affected, status, initiative_title, voters in CHALLENGES:
        if Challenge.objects.filter(title=title).exists() or author not in users:
            continue
        created += 1
        challenge = Challenge.objects.create(
            title=title,
            description=f"{title}. {affected} tell us it slows them down every week.",
            pillar=pillars[pillar],
            affected=affected,
            author=users[author],
            status=status,
            decision_reason=DECLINE_REASON if status == ChallengeStatus.DECLINED else "",
            decided_by=ops if status != ChallengeStatus.OPEN else None,
            decided_at=timezone.now() if status != ChallengeStatus.OPEN else None,
        )
        voters_found = [users[h] for h in voters if h in users]
        ChallengeVote.objects.bulk_create(ChallengeVote(challenge=challenge, user=u) for u in voters_found)
        challenge.vote_count = len(voters_found)
        if voters_found:
            ChallengeComment.objects.create(challenge=challenge, author=voters_found[0], body="Same here, every week.")
            challenge.comment_count = 1
        challenge.save(update_fields=["vote_count", "comment_count"])
        if initiative_title in by_title:
            Initiative.objects.filter(pk=by_title[initiative_title].pk).update(challenge=challenge)
    return created
