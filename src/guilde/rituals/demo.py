"""Demo data: two rituals (Paris- and Americas-friendly), a year of past sessions, a lively topic pool.

Idempotent: nothing happens when the rituals already exist.
"""

import datetime
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from guilde.community import selectors as community_selectors
from guilde.rituals import recurrence, services
from guilde.rituals.enums import RsvpStatus, TopicFormat, TopicStatus, Visibility, Weekday
from guilde.rituals.models import Rating, Ritual, Rsvp, Session, Topic, TopicComment, Vote

PARIS = "Échanges produit — Paris"
AMERICAS = "Product Exchange — Americas"

PAST_TOPICS = [
    "How we run discovery interviews in two weeks",
    "Roadmap reviews with sales: what changed",
    "Our design system, one year on",
    "Pricing experiments that failed (and why)",
    "Writing specs engineers actually read",
    "From feedback inbox to opportunity: our triage",
    "OKRs for product teams: a return on experience",
    "Onboarding a new PM in 30 days",
    "Accessibility audits on a budget",
    "Dual-track agile in a regulated market",
    "A/B testing with low traffic",
    "Pitching an initiative to leadership",
    "Working with customer success on renewals",
    "Mobile release trains",
    "The jobs-to-be-done interview",
    "Personalisation without creeping customers out",
    "Measuring product adoption",
    "Sunsetting a feature gracefully",
    "Design critique that helps",
    "How support tags feedback for us",
    "Prioritising tech debt with engineers",
    "Building a product ops function",
    "Sharing the roadmap with US sales",
    "Launching in a new market",
    "Data dashboards PMs use every day",
    "Customer advisory boards",
]

POOL = [
    ("Running a discovery sprint with customer success", TopicStatus.ACCEPTED, TopicFormat.WORKSHOP, ["en", "fr"]),
    (
        "What our US customers taught us about onboarding",
        TopicStatus.PROPOSED,
        TopicFormat.RETURN_ON_EXPERIENCE,
        ["en"],
    ),
    ("Mentoring junior PMs: our first six months", TopicStatus.PROPOSED, TopicFormat.RETURN_ON_EXPERIENCE, ["fr"]),
    ("Quizzes to check product culture", TopicStatus.PROPOSED, TopicFormat.WORKSHOP, ["en"]),
    ("A case study: the checkout redesign", TopicStatus.ACCEPTED, TopicFormat.CASE_STUDY, ["fr", "en"]),
    ("Ask me anything: the VP Product", TopicStatus.PROPOSED, TopicFormat.QA, ["en", "fr"]),
    ("Beauty advisor chatbot: what worked", TopicStatus.PROPOSED, TopicFormat.TALK, ["fr"]),
    ("Usability testing in five days", TopicStatus.PROPOSED, TopicFormat.WORKSHOP, ["en"]),
    ("Experimentation platform: build or buy?", TopicStatus.PROPOSED, TopicFormat.TALK, ["en"]),
    ("Localising a product for Spanish-speaking markets", TopicStatus.PROPOSED, TopicFormat.TALK, ["en", "es"]),
    ("Subscription churn: the signals we watch", TopicStatus.ACCEPTED, TopicFormat.CASE_STUDY, ["fr"]),
    ("Writing release notes customers read", TopicStatus.PROPOSED, TopicFormat.TALK, ["en"]),
    ("Design tokens across four brands", TopicStatus.PROPOSED, TopicFormat.TALK, ["en"]),
    ("How to say no to a big customer", TopicStatus.PROPOSED, TopicFormat.QA, ["en", "fr"]),
    ("Our supply chain product, explained", TopicStatus.PROPOSED, TopicFormat.TALK, ["fr"]),
    ("Vanity metrics we stopped tracking", TopicStatus.DECLINED, TopicFormat.TALK, ["en"]),
    ("Roadmap tools comparison", TopicStatus.DECLINED, TopicFormat.TALK, ["fr"]),
]


#: A few comments on the pool's topics: (index in POOL, author, text).
DISCUSSION = [
    (2, "pm@guilde.test", "Yes please: we started mentoring in March and would love to compare notes."),
    (2, "designer@guilde.test", "Could you include how mentors and mentees were matched?"),
    (4, "sales@guilde.test", "Customers ask about the new checkout every week; happy to bring their questions."),
]


def _users() -> dict[str, Any]:
    return {user.email: user for user in get_user_model().objects.filter(email__endswith="@guilde.test")}


@transaction.atomic
def seed_rituals() -> str:
    if Ritual.objects.filter(name__in=[PARIS, AMERICAS]).exists():
        return "rituals: already there"
    users = _users()
    if "ops@guilde.test" not in users:
        return "rituals: no demo people, skipped"
    rng = random.Random(20260101)
    now = timezone.now()
    community = community_selectors.get_community()
    pillars = list(community_selectors.pillars(community=community))
    members = [u for u in users.values() if u.role != "stakeholder"]  # type: ignore[attr-defined]
    europeans = [u for u in members if u.timezone == "Europe/Paris"]  # type: ignore[attr-defined]
    americans = [u for u in members if u.timezone.startswith("America/")]  # type: ignore[attr-defined]
    start = (now - datetime.timedelta(weeks=52)).date()
    paris = Ritual.objects.create(
        name=PARIS,
        purpose="One hour every two weeks, two themes each time: good practices from PMs across brands and regions.",
        weekday=Weekday.TUESDAY,
        interval_weeks=2,
        local_time=datetime.time(12, 30),
        timezone="Europe/Paris",
        starts_on=start,
        duration_minutes=60,
        topic_slots=2,
        capacity=40,
        video_url="https://meet.example.com/guilde-paris",
        visibility=Visibility.MEMBERS,
    )
    paris.hosts.set([users["ops@guilde.test"], users["pm@guilde.test"]])
    americas = Ritual.objects.create(
        name=AMERICAS,
        purpose="The same exchange at a time that suits New York and Austin — open to guests from outside.",
        weekday=Weekday.THURSDAY,
        interval_weeks=2,
        local_time=datetime.time(11, 0),
        timezone="America/New_York",
        starts_on=start,
        duration_minutes=60,
        topic_slots=2,
        capacity=None,
        video_url="https://meet.example.com/guilde-americas",
        visibility=Visibility.PUBLIC,
    )
    americas.hosts.set([users["jordan.miller@guilde.test"], users["emma.garcia@guilde.test"]])
    titles = iter(PAST_TOPICS * 4)
    for ritual, local_people in ((paris, europeans), (americas, americans)):
        cadence = services.cadence_of(ritual)
        past = list(recurrence.occurrences(cadence, start=now - datetime.timedelta(weeks=52), end=now))
        sessions = Session.objects.bulk_create(
            Session(
                ritual=ritual,
                occurrence_date=o.date,
                starts_at=o.starts_at,
                ends_at=o.ends_at,
                replay_url=f"https://video.example.com/replay/{ritual.pk}-{o.date:%Y%m%d}",
                resources="- [Slides](https://slides.example.com/deck)",
                notes="**Key takeaways**\n\n- Start small, share early.\n- Ask customers, not colleagues.",
            )
            for o in past
        )
        speakers_through = []
        rsvps, ratings = [], []
        for session in sessions:
            for slot in (1, 2):
                speaker = rng.choice(local_people + members[:4])
                topic = Topic.objects.create(
                    title=next(titles),
                    description="What we tried, what worked, what we would do differently.",
                    pillar=rng.choice(pillars) if pillars else None,
                    format=rng.choice(TopicFormat.values),
                    languages=["fr", "en"] if ritual is paris else ["en"],
                    proposed_by=speaker,
                    status=TopicStatus.PRESENTED,
                    session=session,
                    slot=slot,
                    vote_count=rng.randint(2, 12),
                )
                speakers_through.append(Topic.speakers.through(topic_id=topic.pk, user_id=speaker.pk))  # type: ignore[attr-defined]
            attendees = rng.sample(members, k=min(len(members), rng.randint(8, 16)))
            for person in attendees:
                attended = rng.random() < 0.85
                rsvps.append(
                    Rsvp(
                        session=session,
                        user=person,
                        status=RsvpStatus.GOING,
                        checked_in_at=session.starts_at + datetime.timedelta(minutes=2) if attended else None,
                    )
                )
                if attended and rng.random() < 0.6:
                    ratings.append(
                        Rating(
                            session=session,
                            user=person,
                            usefulness=rng.choice([3, 4, 4, 4, 5, 5]),
                            will_apply=rng.random() < 0.55,
                        )
                    )
        Topic.speakers.through.objects.bulk_create(speakers_through)
        Rsvp.objects.bulk_create(rsvps)
        Rating.objects.bulk_create(ratings)
        services.extend_schedule(ritual=ritual, now=now)
    # The pool: proposals waiting for votes, a few accepted, two declined, one from outside.
    votes = []
    pool = []
    for index, (title, status, fmt, languages) in enumerate(POOL):
        proposer = members[(index * 7) % len(members)]
        topic = Topic.objects.create(
            title=title,
            description="Why it matters, and what you will take away.",
            pillar=pillars[index % len(pillars)] if pillars else None,
            format=fmt,
            languages=languages,
            proposed_by=proposer,
            status=status,
            decline_reason="Already covered last quarter." if status == TopicStatus.DECLINED else "",
        )
        Topic.objects.filter(pk=topic.pk).update(created_at=now - datetime.timedelta(days=3 + index * 9))
        topic.speakers.set([proposer])
        pool.append(topic)
        for voter in rng.sample(members, k=rng.randint(0, min(14, len(members)))):
            votes.append(Vote(topic=topic, voter=voter))
    Topic.objects.create(
        title="Product communities in retail: a guest's view",
        description="A PM from a partner company offers a talk.",
        is_external=True,
        contact_name="Alex Guest",
        contact_email="alex.guest@example.org",
    )
    Vote.objects.bulk_create(votes, ignore_conflicts=True)
    TopicComment.objects.bulk_create(
        TopicComment(topic=pool[index], author=users[email], body=body)
        for index, email, body in DISCUSSION
        if email in users
    )
    for row in Vote.objects.values("topic").annotate(n=Count("pk")):
        Topic.objects.filter(pk=row["topic"]).update(vote_count=row["n"])
    # The next sessions already have a topic or two.
    ops = users["ops@guilde.test"]
    accepted = list(Topic.objects.filter(status=TopicStatus.ACCEPTED, session__isnull=True).order_by("pk"))
    for ritual, topic in zip((paris, americas, paris), accepted, strict=False):
        upcoming = ritual.sessions.filter(starts_at__gt=now).order_by("starts_at").first()
        if upcoming is not None:
            services.schedule_topic(actor=ops, topic=topic, session=upcoming)
    for ritual in (paris, americas):
        upcoming = ritual.sessions.filter(starts_at__gt=now).order_by("starts_at").first()
        if upcoming is not None:
            Rsvp.objects.bulk_create(
                [Rsvp(session=upcoming, user=u, status=RsvpStatus.GOING) for u in rng.sample(members, k=9)],
                ignore_conflicts=True,
            )
    return f"rituals: 2 rituals, {Session.objects.count()} sessions, {Topic.objects.count()} topics"
