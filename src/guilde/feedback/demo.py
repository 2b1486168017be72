"""Demo feedback: a believable, bilingual history over nine months for every page and chart.

Idempotent: recognised by the `demo-` external ids; a second run changes nothing.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from guilde.feedback import selectors
from guilde.feedback.aggregates import rebuild as rebuild_kpi_aggregates
from guilde.feedback.enums import FeedbackStatus, Impact, Language, OpportunityStatus, SourceChannel
from guilde.feedback.models import (
    CustomerAccount,
    Feedback,
    FeedbackOpportunity,
    FeedbackSupporter,
    Opportunity,
    ProductArea,
    Segment,
    StatusChange,
)
from guilde.feedback.scoring import QualityInput, quality_score
from guilde.feedback.services import ensure_default_definition, refresh_opportunities

AREAS = [
    ("Billing", "Facturation"),
    ("Reporting", "Reporting"),
    ("Integrations", "Intégrations"),
    ("Mobile app", "Application mobile"),
    ("Permissions", "Droits d'accès"),
    ("Search", "Recherche"),
    ("Onboarding", "Prise en main"),
    ("Notifications", "Notifications"),
]
COMPANIES = [
    "Maison Lavande",
    "Atelier Numérique",
    "Brightwave",
    "Northwind Retail",
    "Groupe Horizon",
    "Pixel & Co",
    "Kestrel Logistics",
    "Les Jardins Bio",
    "Vertex Health",
    "Blue Harbor",
    "Cosmétiques Éclat",
    "Quantum Labs",
    "Fromagerie Alpine",
    "Summit Partners",
    "Studio Lumière",
    "Evergreen Schools",
    "Transports Martin",
    "Nimbus Cloud",
    "Boulangerie Dupont",
    "Redwood Finance",
    "Optique Vision",
    "Harbor Freight Co",
    "Clinique du Parc",
    "Zenith Media",
    "Éditions Papillon",
    "Granite Insurance",
    "Café Central",
    "Orbit Telecom",
    "Mutuelle Avenir",
    "Sunrise Hotels",
    "Agence Nova",
    "Ironclad Security",
    "Pharmacie Centrale",
    "Lighthouse Learning",
    "Vins de Loire",
    "Copperline Energy",
    "Crèche Les Petits",
    "Atlas Engineering",
    "Librairie Mots",
    "Falcon Airlines",
]
TOPICS_EN = [
    (
        "Invoices cannot be exported to the accounting tool",
        "Finance teams re-type every invoice into their accounting tool; it costs them hours every month-end.",
        0,
    ),
    (
        "Monthly report takes minutes to load",
        "Managers give up on the monthly report because it takes more than two minutes to load for large teams.",
        1,
    ),
    (
        "Salesforce sync duplicates contacts",
        "Each sync creates duplicate contacts, so sales reps no longer trust the data and are blocked before calls.",
        2,
    ),
    (
        "Offline mode on the mobile app",
        "Field technicians lose their notes when the network drops in basements; they re-enter everything at night.",
        3,
    ),
    (
        "Read-only role for auditors",
        "External auditors need to see data without changing it; today admins share their own login, a security risk.",
        4,
    ),
    (
        "Search ignores accents and typos",
        "Users cannot find customers with accented names, so they create duplicates and lose time every day.",
        5,
    ),
    (
        "New admins do not know where to start",
        "New administrators churn in the first month because setup takes days without guidance.",
        6,
    ),
    (
        "Too many e-mail notifications",
        "Team leads receive hundreds of e-mails a week and miss the important ones, such as blocked approvals.",
        7,
    ),
]
TOPICS_FR = [
    (
        "Impossible d'exporter les factures vers la compta",
        "Les équipes finance ressaisissent chaque facture dans leur logiciel comptable ; cela leur coûte des heures à chaque clôture.",  # noqa: E501
        0,
    ),
    (
        "Le rapport mensuel est très lent",
        "Les managers abandonnent le rapport mensuel : il met plus de deux minutes à s'afficher pour les grandes équipes.",  # noqa: E501
        1,
    ),
    (
        "La synchro Salesforce crée des doublons",
        "Chaque synchronisation duplique les contacts ; les commerciaux ne font plus confiance aux données et sont bloqués avant leurs rendez-vous.",  # noqa: E501
        2,
    ),
    (
        "Mode hors ligne sur l'application mobile",
        "Les techniciens perdent leurs notes quand le réseau coupe en sous-sol ; ils ressaisissent tout le soir.",
        3,
    ),
    (
        "Un rôle lecture seule pour les auditeurs",
        "Les auditeurs externes doivent consulter sans modifier ; aujourd'hui les admins prêtent leur compte, un risque de sécurité.",  # noqa: E501
        4,
    ),
    (
        "La recherche ignore les accents",
        "Impossible de retrouver les clients aux noms accentués : les équipes créent des doublons et perdent du temps chaque jour.",  # noqa: E501
        5,
    ),
    (
        "Les nouveaux admins sont perdus",
        "Les nouveaux administrateurs résilient dès le premier mois car la mise en place prend des jours sans accompagnement.",  # noqa: E501
        6,
    ),
    (
        "Trop de notifications par e-mail",
        "Les responsables reçoivent des centaines d'e-mails par semaine et ratent les importants, comme les validations bloquées.",  # noqa: E501
        7,
    ),
]
QUOTES = [
    "“We spend every Friday afternoon on this.”",
    "« On y passe tous nos vendredis après-midi. »",
    "“If this is not fixed by renewal, we will look elsewhere.”",
    "« Sans ça, on ne renouvelle pas. »",
    "",
]
OPPORTUNITIES = [
    ("Accounting export (CSV and API)", 0, 5, 3, OpportunityStatus.SHIPPED),
    ("Fast reports for large teams", 1, 4, 6, OpportunityStatus.NOW),
    ("Reliable CRM sync", 2, 4, 4, OpportunityStatus.NOW),
    ("Offline mobile notes", 3, 3, 8, OpportunityStatus.NEXT),
    ("Fine-grained roles", 4, 4, 5, OpportunityStatus.NEXT),
    ("Accent- and typo-tolerant search", 5, 3, 2, OpportunityStatus.SHIPPED),
    ("Guided admin onboarding", 6, 5, 4, OpportunityStatus.LATER),
    ("Notification digest", 7, 2, 2, OpportunityStatus.CANDIDATE),
]
TEAMS = ["Sales FR", "Sales US", "Support", "Customer success", "Account management"]


def seed_feedback_demo(*, count: int = 400, seed: int = 7) -> str:
    """Adds demo areas, accounts, opportunities and `count` feedbacks with their histories, once.

    First makes sure the default policy, rubric and segments exist (a flushed database has lost
    what data migration 0003 created), so demo scores are measured against a real rubric."""
    ensure_default_definition()
    if Feedback.objects.filter(external_id__startswith="demo-").exists():
        return "feedback: already seeded"
    rng = random.Random(seed)
    User = get_user_model()
    with transaction.atomic():
        users = list(User.objects.filter(is_active=True).order_by("pk"))
        if not users:
            return "feedback: no users yet, skipped"
        stakeholders = [u for u in users if u.role == "stakeholder"] or users
        triagers = [u for u in users if u.role in {"member", "product_ops"}] or users
        areas = []
        for position, (en, fr) in enumerate(AREAS):
            area, _created = ProductArea.objects.get_or_create(
                name_en=en, defaults={"name_fr": fr, "position": position}
            )
            areas.append(area)
        segments = list(Segment.objects.order_by("position", "pk"))
        accounts = []
        for i, name in enumerate(COMPANIES):
            segment = segments[i % len(segments)]
            base = {0: 8_000, 1: 60_000, 2: 250_000}.get(segments.index(segment), 20_000)
            account, _created = CustomerAccount.objects.get_or_create(
                external_id=f"demo-acct-{i}",
                defaults={
                    "name": name,
                    "segment": segment,
                    "plan": ["Starter", "Pro", "Enterprise"][min(segments.index(segment), 2)],
                    "arr": Decimal(base + rng.randrange(0, base)),
                    "currency": "USD" if "Co" in name or rng.random() < 0.2 else "EUR",
                    "owner": stakeholders[i % len(stakeholders)],
                },
            )
            accounts.append(account)
        criteria = selectors.active_criteria()
        now = timezone.now()
        feedbacks: list[Feedback] = []
        plans: list[tuple[int, list[tuple[str, timedelta]]]] = []
        for n in range(count):
            french = rng.random() < 0.45
            title, problem, topic = rng.choice(TOPICS_FR if french else TOPICS_EN)
            customer: CustomerAccount | None = rng.choice(accounts) if rng.random() < 0.85 else None
            evidence = rng.choice(QUOTES)
            impact = rng.choice([Impact.LOW, Impact.MEDIUM, Impact.MEDIUM, Impact.HIGH, Impact.CRITICAL, ""])
            fb_area: ProductArea | None = areas[topic] if rng.random() < 0.8 else None
            received = now - timedelta(days=rng.uniform(0, 270), hours=rng.uniform(0, 23))
            submitter = rng.choice(stakeholders)
            result = quality_score(
                criteria,
                QualityInput(
                    problem=problem,
                    evidence=evidence,
                    has_account=customer is not None,
                    has_segment=bool(customer and customer.segment_id),
                    impact=impact,
                    has_product_area=fb_area is not None,
                ),
            )
            feedbacks.append(
                Feedback(
                    title=title if rng.random() < 0.6 else f"{title} ({customer.name if customer else 'prospect'})",
                    problem=problem,
                    evidence=evidence,
                    account=customer,
                    contact_name=rng.choice(["", "Claire M.", "John D.", "Sofia R.", "Marc L."]),
                    segment_id=customer.segment_id if customer else None,
                    plan=customer.plan if customer else "",
                    arr=customer.arr if customer else Decimal(0),
                    currency=customer.currency if customer else "EUR",
                    impact=impact,
                    product_area=fb_area,
                    source=rng.choice(SourceChannel.values),
                    submitter=submitter,
                    submitter_team=rng.choice(TEAMS),
                    language=Language.FR if french else Language.EN,
                    quality_score=result.score,
                    quality_missing=result.missing,
                    external_id=f"demo-{n}",
                    received_at=received,
                    last_changed_by=submitter,
                )
            )
            age = now - received
            steps: list[tuple[str, timedelta]] = []
            roll = rng.random()
            process_after = timedelta(hours=rng.uniform(2, 24 * 12))
            if age > process_after and roll < 0.85:
                if roll < 0.1:
                    steps.append((FeedbackStatus.DECLINED, process_after))
                else:
                    steps.append((FeedbackStatus.PROCESSED, process_after))
                    plan_after = process_after + timedelta(days=rng.uniform(1, 30))
                    if age > plan_after and roll < 0.6:
                        steps.append((FeedbackStatus.PLANNED, plan_after))
                        resolve_after = plan_after + timedelta(days=rng.uniform(5, 90))
                        if age > resolve_after and roll < 0.4:
                            steps.append((FeedbackStatus.RESOLVED, resolve_after))
            plans.append((topic, steps))
        Feedback.objects.bulk_create(feedbacks, batch_size=500)
        changes: list[StatusChange] = []
        opportunities = {}
        for title, topic, fit, effort, status in OPPORTUNITIES:
            opportunities[topic] = Opportunity.objects.create(
                title=title,
                strategic_fit=fit,
                effort=effort,
                status=status,
                product_area=areas[topic],
                owner=rng.choice(triagers),
                shipped_at=now - timedelta(days=rng.uniform(5, 60)) if status == OpportunityStatus.SHIPPED else None,
                release_note="Available to every customer — see the help centre."
                if status == OpportunityStatus.SHIPPED
                else "",
            )
        links: list[FeedbackOpportunity] = []
        for feedback, (topic, steps) in zip(feedbacks, plans, strict=True):
            changes.append(
                StatusChange(
                    feedback=feedback,
                    actor=feedback.submitter,
                    at=feedback.received_at,
                    from_status="",
                    to_status="new",
                )
            )
            previous: str = FeedbackStatus.NEW
            for to_status, after in steps:
                at = feedback.received_at + after
                reason = (
                    "Out of scope for this year / Hors périmètre cette année"
                    if to_status == FeedbackStatus.DECLINED
                    else ""
                )
                changes.append(
                    StatusChange(
                        feedback=feedback,
                        actor=rng.choice(triagers),
                        at=at,
                        from_status=previous,
                        to_status=to_status,
                        note=reason,
                    )
                )
                previous = to_status
                feedback.status = to_status
                feedback.processed_at = feedback.processed_at or at
                if to_status == FeedbackStatus.RESOLVED:
                    feedback.resolved_at = feedback.loop_closed_at = at
                if to_status == FeedbackStatus.DECLINED:
                    feedback.declined_at = feedback.loop_closed_at = at
                    feedback.decline_reason = reason
            if feedback.status in {FeedbackStatus.PROCESSED, FeedbackStatus.PLANNED, FeedbackStatus.RESOLVED}:
                links.append(FeedbackOpportunity(feedback=feedback, opportunity=opportunities[topic]))
        Feedback.objects.bulk_update(
            feedbacks,
            ["status", "processed_at", "resolved_at", "declined_at", "loop_closed_at", "decline_reason"],
            batch_size=500,
        )
        StatusChange.objects.bulk_create(changes, batch_size=1000)
        FeedbackOpportunity.objects.bulk_create(links, batch_size=1000)
        supporters = []
        for feedback in rng.sample(feedbacks, k=min(60, len(feedbacks))):
            backer = rng.choice(accounts)
            if backer.pk != feedback.account_id:
                supporters.append(FeedbackSupporter(feedback=feedback, account=backer, user=rng.choice(stakeholders)))
        FeedbackSupporter.objects.bulk_create(supporters, ignore_conflicts=True)
        for feedback in feedbacks:
            feedback.supporter_count = sum(1 for s in supporters if s.feedback_id == feedback.pk)
        Feedback.objects.bulk_update([f for f in feedbacks if f.supporter_count], ["supporter_count"], batch_size=500)
        refresh_opportunities(opportunity_ids=[o.pk for o in opportunities.values()])
        rebuild_kpi_aggregates()
    return f"feedback: {count} feedbacks, {len(accounts)} accounts, {len(opportunities)} opportunities"
