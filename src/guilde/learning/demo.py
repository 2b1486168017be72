"""Demo data for learning: the question bank, five quizzes, the onboarding and product-culture paths,
and a few months of realistic attempts. Idempotent: a seeded database is left as it is."""

import math
import random
import re
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from guilde.accounts.enums import Role
from guilde.community import selectors as community_selectors
from guilde.community import services as community_services
from guilde.learning import services
from guilde.learning.demo_content import QUESTIONS, QUIZZES
from guilde.learning.enums import Audience, PathPurpose, QuestionKind, QuestionStatus, Selection, StepKind
from guilde.learning.models import Attempt, Enrolment, Path, Question, Quiz, Step, StepCompletion

AUTHORS = ["emma.garcia@guilde.test", "pm@guilde.test", "pauline.blanc@guilde.test", "ines.morel@guilde.test"]
REVIEWERS = ["ops@guilde.test", "jordan.miller@guilde.test"]


def french(text: str) -> str:
    """French typography: a narrow no-break space before : ; ? ! and inside « », U+2019 for ' in words."""
    text = re.sub(r"(?<=\w)'(?=\w)", "\u2019", text)
    text = re.sub(r"\s+([:;?!])", "\u202f\\1", text)
    return re.sub(r"«\s*", "«\u202f", re.sub(r"\s*»", "\u202f»", text))


def _choices(kind: str, answers: Any) -> list[dict[str, Any]]:
    if kind == QuestionKind.TRUE_FALSE:
        return [
            {"text_en": "True", "text_fr": "Vrai", "is_correct": answers == "T"},
            {"text_en": "False", "text_fr": "Faux", "is_correct": answers == "F"},
        ]
    rows = []
    for raw in answers:
        correct = raw.startswith("*")
        english, _sep, fr = raw.lstrip("*").partition("|")
        rows.append({"text_en": english, "text_fr": french(fr.lstrip("*")), "is_correct": correct})
    return rows


def _seed_questions(users: dict[str, Any]) -> dict[str, list[Question]]:
    by_skill: dict[str, list[Question]] = {}
    pillars = list(community_selectors.pillars(community=community_selectors.get_community()))
    for index, (skill_name, kind, text_en, text_fr, answers, expl_en, expl_fr, _difficulty) in enumerate(QUESTIONS):
        skill = community_services.tags_for(names=[skill_name])[0]
        author = users[AUTHORS[index % len(AUTHORS)]]
        question = services.create_question(
            actor=author,
            data={
                "kind": kind,
                "text_en": text_en,
                "text_fr": french(text_fr),
                "explanation_en": expl_en,
                "explanation_fr": french(expl_fr),
                "skill": skill,
                "pillar": pillars[2] if len(pillars) > 2 else None,
                "link_url": "/sessions/" if index % 4 == 0 else "",
                "link_title": "Replays of the exchange sessions" if index % 4 == 0 else "",
            },
            choices=_choices(kind, answers),
        )
        services.submit_for_review(actor=author, question=question)
        services.review_question(actor=users[REVIEWERS[index % 2]], question=question, approve=True)
        by_skill.setdefault(skill_name, []).append(question)
    # Two questions still in the pipeline, so the review queue and drafts are not empty.
    services.create_question(
        actor=users["pm@guilde.test"],
        data={"kind": QuestionKind.TRUE_FALSE, "text_en": "A persona replaces talking to customers.",
              "text_fr": french("Une persona remplace les échanges avec les clients."),
              "explanation_en": "Personas summarise research; they do not replace it."},
        choices=_choices(QuestionKind.TRUE_FALSE, "F"),
    )  # fmt: skip
    pending = services.create_question(
        actor=users["emma.garcia@guilde.test"],
        data={"kind": QuestionKind.SINGLE, "text_en": "What is a jobs-to-be-done statement about?",
              "text_fr": french("Sur quoi porte un énoncé jobs-to-be-done ?"),
              "explanation_en": "The progress a customer tries to make in a situation."},
        choices=_choices(QuestionKind.SINGLE, ["*The progress a customer wants to make|*Le progrès que le client veut faire",  # noqa: E501
                                               "A job description|Une fiche de poste"]),
    )  # fmt: skip
    services.submit_for_review(actor=users["emma.garcia@guilde.test"], question=pending)
    return by_skill


def _seed_quizzes(users: dict[str, Any], by_skill: dict[str, list[Question]]) -> list[Quiz]:
    quizzes = []
    for spec in QUIZZES:
        data = {
            "title_en": spec["title_en"],
            "title_fr": french(spec["title_fr"]),
            "description_en": spec["description_en"],
            "description_fr": french(spec["description_fr"]),
            "feedback_mode": spec["feedback_mode"],
            "pass_mark": spec["pass_mark"],
            "time_limit_minutes": spec.get("time_limit_minutes"),
            "max_attempts": spec.get("max_attempts"),
            "is_published": True,
            "selection": Selection.FIXED,
            "draw_count": 10,
            "draw_skill": None,
            "draw_pillar": None,
        }
        questions: list[Question] = []
        if "random_skill" in spec:
            data.update(
                selection=Selection.RANDOM,
                draw_count=spec["draw_count"],
                draw_skill=community_services.tags_for(names=[spec["random_skill"]])[0],
            )
        else:
            for skill in spec["skills"]:
                questions.extend(by_skill[skill])
        quizzes.append(services.create_quiz(actor=users["ops@guilde.test"], data=data, questions=questions))
    return quizzes


def _seed_paths(users: dict[str, Any], quizzes: list[Quiz]) -> tuple[Path, Path]:
    ops = users["ops@guilde.test"]
    onboarding = Path.objects.create(
        title_en="Welcome to the product community",
        title_fr="Bienvenue dans la communauté produit",
        description_en=(
            "Your first month: how the community works, the people to meet, our practices, and a first contribution."
        ),
        description_fr=french(
            "Votre premier mois : le fonctionnement de la communauté, les personnes à rencontrer, nos pratiques "
            "et une première contribution."
        ),
        purpose=PathPurpose.ONBOARDING,
        audience=Audience.COMMUNITY,
        auto_enrol=True,
        due_days=30,
        is_published=True,
        author=ops,
    )
    onboarding_steps = [
        (StepKind.READ, "Read the community charter", "Lire la charte de la communauté", "/community/charter/", None),
        (StepKind.MEET, "Meet your onboarding buddy", "Rencontrer votre binôme d'intégration", "", None),
        (StepKind.WATCH, "Watch a recent exchange session replay", "Regarder le replay d'une session récente",
         "/sessions/", None),
        (StepKind.QUIZ, "Test your discovery basics", "Tester vos bases en discovery", "", quizzes[0]),
        (StepKind.DO, "Share one customer insight in the next session",
         "Partager un insight client à la prochaine session", "", None),
    ]  # fmt: skip
    culture = Path.objects.create(
        title_en="Product culture for customer teams",
        title_fr="La culture produit pour les équipes client",
        description_en=(
            "For sales, support and customer success: what product does, how to write a useful feedback, "
            "and how to read the roadmap."
        ),
        description_fr=french(
            "Pour les ventes, le support et le customer success : ce que fait le produit, comment écrire "
            "un feedback utile et comment lire la roadmap."
        ),
        purpose=PathPurpose.PRODUCT_CULTURE,
        audience=Audience.CS_REVENUE,
        auto_enrol=True,
        due_days=45,
        is_published=True,
        author=ops,
    )
    culture_steps = [
        (StepKind.READ, "What product does (and does not)", "Ce que fait le produit (et ce qu'il ne fait pas)",
         "/community/charter/", None),
        (StepKind.READ, "How to write a useful feedback: the rubric", "Écrire un feedback utile : la grille",
         "/feedback/submit/", None),
        (StepKind.READ, "How to read the roadmap", "Lire la roadmap", "/feedback/roadmap/", None),
        (StepKind.MEET, "Meet the product manager of your area", "Rencontrer le PM de votre périmètre", "", None),
        (StepKind.QUIZ, "Check what you learned", "Vérifier vos acquis", "", quizzes[4]),
    ]  # fmt: skip
    for path, steps in ((onboarding, onboarding_steps), (culture, culture_steps)):
        Step.objects.bulk_create(
            Step(path=path, position=i, kind=kind, title_en=en, title_fr=french(fr), url=url, quiz=quiz)
            for i, (kind, en, fr, url, quiz) in enumerate(steps)
        )
    culture.steps.filter(kind=StepKind.MEET).update(person=users["pm@guilde.test"])
    return onboarding, culture


def _simulated_response(question: Question, correct: bool, rng: random.Random) -> Any:
    choices = list(question.choices.all())
    right = [c.pk for c in choices if c.is_correct]
    wrong = [c.pk for c in choices if not c.is_correct]
    if question.kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE):
        return right[0] if correct or not wrong else rng.choice(wrong)
    if question.kind == QuestionKind.MULTIPLE:
        if correct:
            return right
        partial = right[: max(1, len(right) - 1)]
        return partial + ([rng.choice(wrong)] if wrong and rng.random() < 0.5 else [])
    if question.kind == QuestionKind.SHORT:
        return choices[0].text_en if correct else rng.choice(["not sure", "no idea", "roadmap"])
    order = [c.pk for c in choices]
    if not correct:
        i = rng.randrange(len(order) - 1)
        order[i], order[i + 1] = order[i + 1], order[i]
    return order


def _seed_attempts(users: dict[str, Any], quizzes: list[Quiz], rng: random.Random) -> int:
    difficulty = {text_en: diff for (_s, _k, text_en, _f, _a, _e, _ef, diff) in QUESTIONS}
    people = [u for u in users.values() if u.email != "ops@guilde.test"]
    now = timezone.now()
    count = 0
    for person in people:
        ability = rng.gauss(-0.3, 1.0)
        stakeholder = person.role == Role.STAKEHOLDER
        for quiz in quizzes:
            is_culture = quiz.title_en.startswith("Product culture")
            if stakeholder != is_culture and rng.random() < 0.8:
                continue
            if rng.random() < 0.25:
                continue
            tries = 1 + (rng.random() < 0.3)
            for _try in range(tries):
                attempt = services.start_attempt(actor=person, quiz=quiz)
                answers = {}
                for answer in attempt.answers.select_related("question").prefetch_related("question__choices"):
                    diff = difficulty.get(answer.question.text_en, 0.0)
                    p_right = 0.45 if diff is None else 1 / (1 + math.exp(-1.7 * (ability - diff)))
                    answers[answer.question_id] = _simulated_response(answer.question, rng.random() < p_right, rng)
                services.submit_attempt(actor=person, attempt=attempt, answers=answers)
                when = now - timedelta(days=rng.randint(2, 120), minutes=rng.randint(0, 600))
                Attempt.objects.filter(pk=attempt.pk).update(
                    started_at=when, submitted_at=when + timedelta(minutes=rng.randint(3, 9)), deadline=None
                )
                ability += 0.3  # a second try usually goes better
                count += 1
    return count


def _seed_enrolments(users: dict[str, Any], rng: random.Random) -> int:
    now = timezone.now()
    enrolled = 0
    for user in users.values():
        for enrolment in services.enrol_new_user(user=user):
            enrolled += 1
            steps = [s for s in enrolment.path.steps.order_by("position") if s.kind != StepKind.QUIZ]
            for step in steps[: rng.randint(0, len(steps))]:
                services.complete_step(actor=user, enrolment=enrolment, step=step)
            started = now - timedelta(days=rng.randint(3, 60))
            Enrolment.objects.filter(pk=enrolment.pk).update(
                created_at=started,
                last_progress_at=now - timedelta(days=min(rng.randint(0, 25), (now - started).days)),
                due_on=(started + timedelta(days=enrolment.path.due_days or 30)).date(),
            )
            StepCompletion.objects.filter(enrolment=enrolment).update(completed_at=started + timedelta(days=1))
    return enrolled


@transaction.atomic
def seed_learning() -> str:
    """Sixty reviewed questions, five quizzes, the onboarding and product-culture paths, attempts and progress."""
    if Question.objects.filter(text_en=QUESTIONS[0][2]).exists():
        return "learning: already there"
    users = {u.email: u for u in get_user_model().objects.filter(email__endswith="@guilde.test", is_active=True)}
    if "ops@guilde.test" not in users or any(email not in users for email in AUTHORS + REVIEWERS):
        return "learning: skipped (the community demo people are missing)"
    rng = random.Random(20260501)  # demo data, reproducible on purpose
    by_skill = _seed_questions(users)
    quizzes = _seed_quizzes(users, by_skill)
    _seed_paths(users, quizzes)
    enrolled = _seed_enrolments(users, rng)
    attempts = _seed_attempts(users, quizzes, rng)
    published = Question.objects.filter(status=QuestionStatus.PUBLISHED).count()
    return (
        f"learning: {published} questions, {len(quizzes)} quizzes, 2 paths, {enrolled} enrolments, {attempts} attempts"
    )
