"""Reads on learning: querysets already narrowed to what the viewer may see, in constant queries.

Statistics (for authors and product ops; learners only ever see their own attempts):

- facility of a question = its mean item score over submitted attempts (share correct when
  items are right/wrong), an SQL average;
- discrimination = Pearson correlation between the item score and the *rest* score of the same
  attempt (the attempt's total minus this item), i.e. the corrected item-total correlation; for
  right/wrong items this is the point-biserial correlation. The sums it needs (n, Σx, Σy, Σxy,
  Σx², Σy²) are aggregated in SQL, the final formula is applied in Python. None when fewer than
  three answers or when either side has no variance.
"""

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from guilde.accounts.enums import Role
from guilde.learning.enums import LiveStatus, PathPurpose, QuestionKind, QuestionStatus, Selection, StepKind
from guilde.learning.models import (
    Attempt,
    AttemptAnswer,
    Choice,
    Enrolment,
    LiveSession,
    Path,
    Question,
    Quiz,
    Step,
    StepCompletion,
)
from guilde.learning.scoring import normalise

PAGE_SIZE = 25
MIN_ANSWERS_FOR_FLAGS = 5
MIN_ANSWERS_FOR_GAPS = 5
TOO_EASY = 0.9
TOO_HARD = 0.3
LOW_DISCRIMINATION = 0.2
GAP_FACILITY = 0.65
STUCK_AFTER_DAYS = 14


# Questions -----------------------------------------------------------------------------------


def _choices_prefetch() -> Prefetch:
    return Prefetch("choices", queryset=Choice.objects.order_by("position", "id"))


def question_bank(
    *, viewer: Any, status: str = "", kind: str = "", skill: int | None = None, q: str = ""
) -> QuerySet[Question]:
    """The questions an author may see: everything published or in review, their own drafts; all for product ops."""
    if not viewer.has_perm("learning.author"):
        return Question.objects.none()
    questions = Question.objects.select_related("author", "reviewer", "skill", "pillar").annotate(
        choice_count=Count("choices")
    )
    if not viewer.has_perm("learning.manage_paths"):
        questions = questions.filter(~Q(status=QuestionStatus.DRAFT) | Q(author=viewer))
    if status:
        questions = questions.filter(status=status)
    if kind:
        questions = questions.filter(kind=kind)
    if skill:
        questions = questions.filter(skill_id=skill)
    q = (q or "").strip()
    if q:
        questions = questions.filter(Q(text_en__icontains=q) | Q(text_fr__icontains=q))
    return questions.order_by("-updated_at", "-id")


def question_bank_page(*, viewer: Any, page: int | str | None = 1, **filters: Any) -> Page:
    return Paginator(question_bank(viewer=viewer, **filters), PAGE_SIZE).get_page(page)


def question_for(*, viewer: Any, pk: int) -> Question:
    question = (
        Question.objects.select_related("author", "reviewer", "skill", "pillar")
        .prefetch_related(_choices_prefetch())
        .filter(pk=pk)
        .first()
    )
    if question is None or not viewer.has_perm("learning.view_question", question):
        raise Http404
    if question.status == QuestionStatus.DRAFT and not (
        question.author_id == viewer.pk or viewer.has_perm("learning.manage_paths")
    ):
        raise Http404
    return question


def review_queue_count(*, viewer: Any) -> int:
    if not viewer.has_perm("learning.author"):
        return 0
    return Question.objects.filter(status=QuestionStatus.REVIEW).exclude(author=viewer).count()


def published_questions() -> QuerySet[Question]:
    return Question.objects.filter(status=QuestionStatus.PUBLISHED)


# Quizzes -------------------------------------------------------------------------------------


def _own_attempts(viewer: Any) -> QuerySet[Attempt]:
    return Attempt.objects.filter(user=viewer, quiz=OuterRef("pk"), submitted_at__isnull=False)


def quizzes_for(*, viewer: Any) -> QuerySet[Any]:
    """Quizzes the viewer may take (authors also see unpublished ones), with their own best result."""
    quizzes = Quiz.objects.all() if viewer.has_perm("learning.author") else Quiz.objects.filter(is_published=True)
    own = _own_attempts(viewer)
    return quizzes.select_related("draw_skill").annotate(
        published_question_count=Count(
            "quiz_questions", filter=Q(quiz_questions__question__status=QuestionStatus.PUBLISHED), distinct=True
        ),
        my_attempt_count=Coalesce(
            Subquery(
                own.filter(live__isnull=True).values("quiz").annotate(c=Count("id")).values("c"),
                output_field=IntegerField(),
            ),
            Value(0),
        ),
        my_best=Subquery(own.values("quiz").annotate(m=Max("score")).values("m"), output_field=FloatField()),
        my_passed=Exists(own.filter(passed=True)),
    )


def quiz_for(*, viewer: Any, pk: int) -> Quiz:
    quiz = quizzes_for(viewer=viewer).select_related("author", "draw_pillar").filter(pk=pk).first()
    if quiz is None or not viewer.has_perm("learning.view_quiz", quiz):
        raise Http404
    return quiz


def quiz_question_count(quiz: Quiz) -> int:
    if quiz.selection == Selection.RANDOM:
        return quiz.draw_count
    return getattr(quiz, "published_question_count", None) or 0


def quiz_questions(*, quiz: Quiz) -> QuerySet[Question]:
    """The published questions of a fixed quiz, in order."""
    return (
        Question.objects.filter(quiz_questions__quiz=quiz, status=QuestionStatus.PUBLISHED)
        .select_related("skill")
        .order_by("quiz_questions__position", "pk")
    )


def quizzes_to_take(*, viewer: Any, limit: int = 3) -> list[Quiz]:
    quizzes = quizzes_for(viewer=viewer).filter(is_published=True, my_passed=False)
    return list(quizzes.order_by("my_attempt_count", "title_en")[:limit])


# Attempts ------------------------------------------------------------------------------------


def attempts_of(*, viewer: Any, quiz: Quiz) -> QuerySet[Attempt]:
    """The viewer's own attempts at a quiz, newest first: nobody sees another learner's attempts."""
    return Attempt.objects.filter(user=viewer, quiz=quiz).order_by("-started_at", "-id")


def attempt_for(*, viewer: Any, pk: int) -> Attempt:
    """One of the viewer's own attempts with its questions and answers; Http404 for anyone else's."""
    answers = AttemptAnswer.objects.select_related("question").prefetch_related(
        Prefetch("question__choices", queryset=Choice.objects.order_by("position", "id"))
    )
    attempt = (
        Attempt.objects.select_related("quiz", "user")
        .prefetch_related(Prefetch("answers", queryset=answers.order_by("position", "id")))
        .filter(pk=pk, user=viewer)
        .first()
    )
    if attempt is None or not viewer.has_perm("learning.view_attempt", attempt):
        raise Http404
    return attempt


def open_attempt(*, viewer: Any, quiz: Quiz) -> Attempt | None:
    return (
        Attempt.objects.filter(user=viewer, quiz=quiz, live__isnull=True, submitted_at__isnull=True)
        .order_by("-started_at")
        .first()
    )


def used_attempts(*, user: Any, quiz: Quiz) -> int:
    return Attempt.objects.filter(user=user, quiz=quiz, live__isnull=True).count()


# Statistics ----------------------------------------------------------------------------------


@dataclass
class QuestionStats:
    question: Question
    answers: int
    facility: float | None
    discrimination: float | None
    flags: list[tuple[str, str | Promise]] = field(default_factory=list)

    @property
    def facility_percent(self) -> int | None:
        return None if self.facility is None else round(100 * self.facility)


def pearson(n: int, sx: float, sy: float, sxy: float, sxx: float, syy: float) -> float | None:
    """The correlation from the sums SQL returns; None when undefined."""
    if n < 3:
        return None
    numerator = n * sxy - sx * sy
    spread = (n * sxx - sx * sx) * (n * syy - sy * sy)
    if spread <= 1e-12:
        return None
    return numerator / math.sqrt(spread)


def _submitted_answers() -> QuerySet[AttemptAnswer]:
    return AttemptAnswer.objects.filter(attempt__submitted_at__isnull=False)


def flags_for(*, answers: int, facility: float | None, discrimination: float | None) -> list[tuple[str, Any]]:
    if answers < MIN_ANSWERS_FOR_FLAGS or facility is None:
        return []
    flags: list[tuple[str, Any]] = []
    if facility >= TOO_EASY:
        flags.append(("too_easy", _("Too easy")))
    elif facility <= TOO_HARD:
        flags.append(("too_hard", _("Too hard")))
    if discrimination is not None and discrimination < 0:
        flags.append(("ambiguous", _("Ambiguous? Strong learners miss it")))
    elif discrimination is not None and discrimination < LOW_DISCRIMINATION:
        flags.append(("weak", _("Does not separate strong from weak")))
    return flags


def question_statistics(*, viewer: Any, quiz: Quiz | None = None, question_ids: list[int] | None = None) -> list:
    """Per question: answers, facility, discrimination and flags, over submitted attempts. Two queries."""
    if not viewer.has_perm("learning.view_stats"):
        raise Http404
    answers = _submitted_answers()
    if quiz is not None:
        answers = answers.filter(attempt__quiz=quiz)
    if question_ids is not None:
        answers = answers.filter(question_id__in=question_ids)
    rest = F("attempt__raw_score") - F("score")
    rows = (
        answers.values("question_id")
        .annotate(
            n=Count("id"),
            sx=Sum("score"),
            sy=Sum(rest, output_field=FloatField()),
            sxy=Sum(F("score") * rest, output_field=FloatField()),
            sxx=Sum(F("score") * F("score"), output_field=FloatField()),
            syy=Sum(rest * rest, output_field=FloatField()),
            facility=Avg("score"),
        )
        .order_by()
    )
    sums = {row["question_id"]: row for row in rows}
    questions = Question.objects.filter(pk__in=sums).select_related("skill", "author").order_by("pk")
    result = []
    for question in questions:
        row = sums[question.pk]
        discrimination = pearson(row["n"], row["sx"], row["sy"], row["sxy"], row["sxx"], row["syy"])
        facility = row["facility"]
        result.append(
            QuestionStats(
                question=question,
                answers=row["n"],
                facility=facility,
                discrimination=discrimination,
                flags=flags_for(answers=row["n"], facility=facility, discrimination=discrimination),
            )
        )
    result.sort(key=lambda s: (not s.flags, s.facility if s.facility is not None else 1, s.question.pk))
    return result


@dataclass
class Distribution:
    labels: list[str]
    counts: list[int]
    correct: list[bool]
    total: int


def answer_distribution(*, viewer: Any, question: Question) -> Distribution:
    """How learners answered one question: per choice, per typed answer or per ordering score."""
    if not viewer.has_perm("learning.view_stats"):
        raise Http404
    responses = list(
        _submitted_answers()
        .filter(question=question, answered_at__isnull=False)
        .values_list("response", "score")
        .order_by()
    )
    choices = list(question.choices.all())
    if question.kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE, QuestionKind.MULTIPLE):
        counter: Counter[int] = Counter(cid for response, _score in responses for cid in (response or []))
        return Distribution(
            labels=[choice.text for choice in choices],
            counts=[counter[choice.pk] for choice in choices],
            correct=[choice.is_correct for choice in choices],
            total=len(responses),
        )
    if question.kind == QuestionKind.SHORT:
        accepted = {normalise(t) for c in choices for t in (c.text_en, c.text_fr) if t}
        typed: Counter[str] = Counter(normalise(str(response)) for response, _score in responses)
        top = typed.most_common(8)
        return Distribution(
            labels=[text for text, _n in top],
            counts=[n for _text, n in top],
            correct=[text in accepted for text, _n in top],
            total=len(responses),
        )
    buckets = [
        (str(_("All in order")), lambda s: s >= 1),
        (str(_("Partly in order")), lambda s: 0 < s < 1),
        (str(_("None in place")), lambda s: s <= 0),
    ]
    return Distribution(
        labels=[label for label, _test in buckets],
        counts=[sum(1 for _r, score in responses if test(score)) for _label, test in buckets],
        correct=[True, False, False],
        total=len(responses),
    )


@dataclass(frozen=True)
class KnowledgeGap:
    skill_id: int
    skill: str
    facility: float
    answers: int
    learners: int

    @property
    def facility_percent(self) -> int:
        return round(100 * self.facility)


def knowledge_gaps(
    *, threshold: float = GAP_FACILITY, min_answers: int = MIN_ANSWERS_FOR_GAPS, limit: int | None = None
) -> list[KnowledgeGap]:
    """Skills the community answers worst, weakest first: what sessions could be about. One query.

    Public for other domains (rituals proposes topics from it); aggregates only, no person's answers.
    """
    rows = (
        _submitted_answers()
        .filter(question__skill__isnull=False)
        .values("question__skill_id", "question__skill__name")
        .annotate(facility=Avg("score"), answers=Count("id"), learners=Count("attempt__user", distinct=True))
        .filter(answers__gte=min_answers, facility__lt=threshold)
        .order_by("facility", "question__skill__name")
    )
    if limit:
        rows = rows[:limit]
    return [
        KnowledgeGap(
            skill_id=row["question__skill_id"],
            skill=row["question__skill__name"],
            facility=row["facility"],
            answers=row["answers"],
            learners=row["learners"],
        )
        for row in rows
    ]


def quiz_summary(*, viewer: Any, quiz: Quiz) -> dict[str, Any]:
    """Aggregates for authors: attempts, learners, mean score, pass rate. One query."""
    if not viewer.has_perm("learning.view_stats"):
        raise Http404
    return Attempt.objects.filter(quiz=quiz, submitted_at__isnull=False).aggregate(
        attempts=Count("id"),
        learners=Count("user", distinct=True),
        mean=Avg("score"),
        passed=Count("id", filter=Q(passed=True)),
    )


def score_histogram(*, viewer: Any, quiz: Quiz) -> list[int]:
    """Submitted attempts per score decile (0-9 %, …, 90-100 %)."""
    if not viewer.has_perm("learning.view_stats"):
        raise Http404
    buckets = [0] * 10
    for score in Attempt.objects.filter(quiz=quiz, submitted_at__isnull=False).values_list("score", flat=True):
        buckets[min(9, int((score or 0) * 10))] += 1
    return buckets


# Live quizzes --------------------------------------------------------------------------------


def live_by_code(*, viewer: Any, code: str) -> LiveSession:
    live = (
        LiveSession.objects.select_related("quiz", "host", "session__ritual")
        .filter(code=(code or "").strip().upper())
        .first()
    )
    if live is None or not viewer.has_perm("learning.learn"):
        raise Http404
    return live


def live_for_host(*, viewer: Any, code: str) -> LiveSession:
    live = live_by_code(viewer=viewer, code=code)
    if not viewer.has_perm("learning.control_livesession", live):
        raise Http404
    return live


def live_attempt(*, viewer: Any, live: LiveSession) -> Attempt | None:
    return Attempt.objects.filter(live=live, user=viewer).first()


def live_scoreboard(*, live: LiveSession, limit: int = 10) -> list[Attempt]:
    return list(live.attempts.select_related("user").order_by("-points", "started_at", "pk")[:limit])


def live_question(*, live: LiveSession) -> Question | None:
    question_id = live.current_question_id
    if question_id is None:
        return None
    return Question.objects.prefetch_related(_choices_prefetch()).filter(pk=question_id).first()


def live_answered_count(*, live: LiveSession) -> int:
    question_id = live.current_question_id
    if question_id is None:
        return 0
    return AttemptAnswer.objects.filter(attempt__live=live, question_id=question_id).count()


def live_own_answer(*, attempt: Attempt | None, live: LiveSession) -> AttemptAnswer | None:
    question_id = live.current_question_id
    if attempt is None or question_id is None:
        return None
    return AttemptAnswer.objects.filter(attempt=attempt, question_id=question_id).first()


def live_sessions_hosted(*, viewer: Any, limit: int = 5) -> list[LiveSession]:
    return list(
        LiveSession.objects.filter(host=viewer)
        .exclude(status=LiveStatus.FINISHED)
        .select_related("quiz")
        .order_by("-created_at")[:limit]
    )


# Paths ---------------------------------------------------------------------------------------


def paths_for(*, viewer: Any) -> QuerySet[Path]:
    paths = Path.objects.all() if viewer.has_perm("learning.manage_paths") else Path.objects.filter(is_published=True)
    mine = Enrolment.objects.filter(path=OuterRef("pk"), user=viewer)
    return paths.annotate(
        step_count=Count("steps", distinct=True),
        my_completed_steps=Subquery(mine.values("completed_steps")[:1], output_field=IntegerField()),
        my_completed_at=Subquery(mine.values("completed_at")[:1]),
        my_enrolment_id=Subquery(mine.values("pk")[:1], output_field=IntegerField()),
    ).order_by("purpose", "title_en", "pk")


def path_for(*, viewer: Any, pk: int) -> Path:
    steps = Step.objects.select_related("quiz", "person").order_by("position", "pk")
    path = paths_for(viewer=viewer).prefetch_related(Prefetch("steps", queryset=steps)).filter(pk=pk).first()
    if path is None or not viewer.has_perm("learning.view_path", path):
        raise Http404
    return path


def enrolment_of(*, user: Any, path: Path) -> Enrolment | None:
    return (
        Enrolment.objects.select_related("buddy", "path")
        .prefetch_related("completions")
        .filter(user=user, path=path)
        .first()
    )


def enrolment_for(*, viewer: Any, pk: int) -> Enrolment:
    """An enrolment its learner, or product ops, may see (certificate, progress)."""
    enrolment = Enrolment.objects.select_related("path", "user", "buddy").filter(pk=pk).first()
    if enrolment is None or not (enrolment.user_id == viewer.pk or viewer.has_perm("learning.see_newcomers")):
        raise Http404
    return enrolment


def my_enrolments(*, viewer: Any) -> QuerySet[Enrolment]:
    return (
        Enrolment.objects.filter(user=viewer, path__is_published=True)
        .select_related("path", "buddy")
        .annotate(step_count=Count("path__steps", distinct=True))
        .order_by("completed_at", "due_on", "pk")
    )


def progress_percent(completed: int | None, total: int | None) -> int:
    if not total:
        return 0
    return round(100 * (completed or 0) / total)


@dataclass
class NewcomerRow:
    enrolment: Enrolment
    total: int
    percent: int
    is_stuck: bool
    is_overdue: bool


def newcomers(*, viewer: Any) -> list[NewcomerRow]:
    """Everyone on an onboarding path, slowest first, with who is stuck (no progress for two weeks or overdue)."""
    if not viewer.has_perm("learning.see_newcomers"):
        raise Http404
    enrolments = (
        Enrolment.objects.filter(path__purpose=PathPurpose.ONBOARDING)
        .select_related("path", "user", "buddy")
        .annotate(step_count=Count("path__steps", distinct=True))
        .order_by("completed_at", "created_at", "pk")
    )
    now = timezone.now()
    today = timezone.localdate()
    rows = []
    for enrolment in enrolments:
        total = enrolment.step_count  # type: ignore[attr-defined]
        last = enrolment.last_progress_at or enrolment.created_at
        done = enrolment.completed_at is not None
        overdue = not done and enrolment.due_on is not None and enrolment.due_on < today
        stuck = not done and (overdue or now - last > timedelta(days=STUCK_AFTER_DAYS))
        rows.append(
            NewcomerRow(
                enrolment=enrolment,
                total=total,
                percent=progress_percent(enrolment.completed_steps, total),
                is_stuck=stuck,
                is_overdue=overdue,
            )
        )
    rows.sort(key=lambda row: (row.enrolment.completed_at is not None, not row.is_stuck, row.percent))
    return rows


@dataclass(frozen=True)
class TeamCompletion:
    team: str
    enrolled: int
    completed: int

    @property
    def percent(self) -> int:
        return progress_percent(self.completed, self.enrolled)


def completion_by_team(*, viewer: Any, path: Path) -> list[TeamCompletion]:
    """Enrolled and completed learners per team (from their community profile). One query."""
    if not viewer.has_perm("learning.view_path_reports"):
        raise Http404
    rows = (
        Enrolment.objects.filter(path=path)
        .values("user__member__team")
        .annotate(enrolled=Count("id"), completed=Count("id", filter=Q(completed_at__isnull=False)))
        .order_by("user__member__team")
    )
    return [
        TeamCompletion(team=row["user__member__team"] or "", enrolled=row["enrolled"], completed=row["completed"])
        for row in rows
    ]


def completion_by_path(*, viewer: Any) -> list[Any]:
    """Every published path with its enrolled and completed learners, for the VP Product. One query."""
    if not viewer.has_perm("learning.view_path_reports"):
        raise Http404
    return list(
        Path.objects.filter(is_published=True)
        .annotate(
            enrolled=Count("enrolments", distinct=True),
            completed=Count("enrolments", filter=Q(enrolments__completed_at__isnull=False), distinct=True),
        )
        .order_by("purpose", "title_en", "pk")
    )


def people_in(*, team: str = "", role_family: str = "") -> QuerySet[Any]:
    """Active accounts whose community profile is in the team and/or the role family."""
    people = get_user_model().objects.filter(is_active=True)
    if team:
        people = people.filter(member__team=team)
    if role_family:
        people = people.filter(member__role_family=role_family)
    return people.order_by("pk")


def teams() -> list[str]:
    """The teams named on community profiles, for enrolling a whole team."""
    names = get_user_model().objects.exclude(member__team="").values_list("member__team", flat=True)
    return sorted({name for name in names.distinct() if name})


def path_for_editing(*, viewer: Any, pk: int) -> Path:
    path = path_for(viewer=viewer, pk=pk)
    if not viewer.has_perm("learning.change_path", path):
        raise Http404
    return path


@dataclass
class BuddyRow:
    enrolment: Enrolment
    pending: list[Step]
    total: int
    percent: int


def buddy_queue(*, viewer: Any) -> list[BuddyRow]:
    """The viewer's newcomers still on their path, with the do and meet steps awaiting confirmation.

    Three queries whatever the number of newcomers: enrolments, their paths' steps, their completions.
    """
    confirmable = Step.objects.filter(kind__in=(StepKind.DO, StepKind.MEET)).select_related("person")
    enrolments = (
        Enrolment.objects.filter(buddy=viewer, completed_at__isnull=True)
        .select_related("path", "user")
        .annotate(step_count=Count("path__steps", distinct=True))
        .prefetch_related(
            Prefetch("path__steps", queryset=confirmable.order_by("position", "pk"), to_attr="confirmable_steps"),
            "completions",
        )
        .order_by("created_at", "pk")
    )
    rows = []
    for enrolment in enrolments:
        done = {completion.step_id for completion in enrolment.completions.all()}
        pending = [step for step in enrolment.path.confirmable_steps if step.pk not in done]  # type: ignore[attr-defined]
        total = enrolment.step_count  # type: ignore[attr-defined]
        rows.append(
            BuddyRow(
                enrolment=enrolment,
                pending=pending,
                total=total,
                percent=progress_percent(enrolment.completed_steps, total),
            )
        )
    return rows


def buddy_pending_count(*, viewer: Any) -> int:
    """How many do/meet steps the viewer's newcomers wait to have confirmed. Two queries."""
    kinds = (StepKind.DO, StepKind.MEET)
    # One filter() call: each (step, enrolment) pair of the buddy's open enrolments is counted once.
    steps = Step.objects.filter(
        kind__in=kinds, path__enrolments__buddy=viewer, path__enrolments__completed_at__isnull=True
    ).count()
    done = StepCompletion.objects.filter(
        step__kind__in=kinds, enrolment__buddy=viewer, enrolment__completed_at__isnull=True
    ).count()
    return max(0, steps - done)


def enrolment_for_buddy(*, viewer: Any, pk: int) -> Enrolment:
    """An enrolment the viewer is the buddy of (or any, for product ops); Http404 otherwise."""
    enrolment = Enrolment.objects.select_related("path", "user").filter(pk=pk).first()
    if enrolment is None or not (enrolment.buddy_id == viewer.pk or viewer.has_perm("learning.see_newcomers")):
        raise Http404
    return enrolment


def completions_of(*, enrolment: Enrolment) -> dict[int, StepCompletion]:
    return {c.step_id: c for c in enrolment.completions.all()}


def suggest_buddy(*, user: Any) -> Any | None:
    """A community member to welcome a newcomer: same team first, then same region; has time; fewest buddies."""
    profile = getattr(user, "member", None)
    user_model = get_user_model()
    candidates = (
        user_model.objects.filter(is_active=True, member__weekly_minutes__gt=0)
        .exclude(pk=user.pk)
        .exclude(role=Role.STAKEHOLDER)
        .annotate(buddies=Count("buddy_of", filter=Q(buddy_of__completed_at__isnull=True)))
    )
    if profile is None:
        return candidates.filter(role=Role.PRODUCT_OPS).order_by("buddies", "pk").first()
    for lookup in ({"member__team": profile.team}, {"member__region": profile.region}):
        value = next(iter(lookup.values()))
        if value:
            found = candidates.filter(**lookup).order_by("buddies", "-member__is_volunteer", "pk").first()
            if found is not None:
                return found
    return candidates.order_by("buddies", "-member__is_volunteer", "pk").first()


# Other domains and the home page ---------------------------------------------------------------


@dataclass
class Achievements:
    quizzes_passed: list[Any]
    paths_completed: list[Enrolment]

    @property
    def is_empty(self) -> bool:
        return not self.quizzes_passed and not self.paths_completed


def achievements_for(member_user: Any) -> Achievements:
    """What a person achieved, for their member page: quizzes passed and paths completed. Two queries.

    Only the fact of passing is shown, never scores: attempts stay private to their learner.
    """
    passed = Attempt.objects.filter(quiz=OuterRef("pk"), user=member_user, passed=True, submitted_at__isnull=False)
    quizzes = list(
        Quiz.objects.filter(is_published=True)
        .annotate(passed_at=Subquery(passed.order_by("submitted_at").values("submitted_at")[:1]))
        .filter(passed_at__isnull=False)
        .order_by("-passed_at")
    )
    paths = list(
        Enrolment.objects.filter(user=member_user, completed_at__isnull=False, path__is_published=True)
        .select_related("path")
        .order_by("-completed_at")
    )
    return Achievements(quizzes_passed=quizzes, paths_completed=paths)


def step_counts(*, path: Path) -> int:
    return path.steps.count()


def quiz_steps_for(*, user: Any, quiz: Quiz) -> QuerySet[Step]:
    return Step.objects.filter(kind=StepKind.QUIZ, quiz=quiz, path__enrolments__user=user)
