"""Demo data: a believable bilingual community, and the registry other domains add their steps to.

`manage.py seed_demo` runs every registered step in order. Each step must be idempotent:
running it again on a seeded database changes nothing. A domain registers its step from its
AppConfig.ready(), after the community's own (order 0), e.g. `register_demo_step("feedback", seed, order=20)`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from guilde.accounts.enums import Role
from guilde.community import selectors, services
from guilde.community.enums import OfficialStatus, Region, RoleFamily
from guilde.community.models import Member

DemoStepFunction = Callable[[], str | None]
DEMO_PASSWORD = "guilde-demo"


@dataclass(frozen=True)
class DemoStep:
    name: str
    fn: DemoStepFunction
    order: int


_steps: dict[str, DemoStep] = {}


def register_demo_step(name: str, fn: DemoStepFunction, order: int = 100) -> None:
    """Adds (or replaces, by name) a step of `seed_demo`; lower orders run first."""
    _steps[name] = DemoStep(name=name, fn=fn, order=order)


def demo_steps() -> list[DemoStep]:
    return sorted(_steps.values(), key=lambda step: (step.order, step.name))


# The fixed logins the README and the browser tests use.
DEMO_LOGINS = [
    ("ops@guilde.test", "Product ops (staff)"),
    ("pm@guilde.test", "Member, volunteer"),
    ("designer@guilde.test", "Member"),
    ("exec@guilde.test", "Executive"),
    ("sales@guilde.test", "Stakeholder"),
]

TIMEZONES = {
    Region.PARIS: "Europe/Paris",
    Region.LYON: "Europe/Paris",
    Region.NEW_YORK: "America/New_York",
    Region.AUSTIN: "America/Chicago",
}

PM, DES, OPS, ENG, DATA = (
    RoleFamily.PM,
    RoleFamily.DESIGNER,
    RoleFamily.PRODUCT_OPS,
    RoleFamily.ENGINEERING,
    RoleFamily.DATA,
)
SALES, SUPPORT, CS, EXEC = RoleFamily.SALES, RoleFamily.SUPPORT, RoleFamily.CUSTOMER_SUCCESS, RoleFamily.EXECUTIVE
PAR, LYO, NYC, AUS = Region.PARIS, Region.LYON, Region.NEW_YORK, Region.AUSTIN
LB, AS, MD, NL = "Lumière Beauté", "Atelier Skin", "Maison Digital", "Nova Learning"

# email, name, role, role family, job title, region, brand, team, volunteer, skills, interests
PEOPLE: list[tuple[str, str, str, str, str, str, str, str, bool, str, str]] = [
    ("ops@guilde.test", "Camille Laurent", Role.PRODUCT_OPS, OPS, "Head of Product Ops", PAR, MD, "Product Ops", True,
     "Facilitation, Product ops, Roadmapping", "Community building, Career paths"),
    ("jordan.miller@guilde.test", "Jordan Miller", Role.PRODUCT_OPS, OPS, "Product Ops Manager", NYC, NL, "Product Ops",
     True, "Tooling, Feedback management, Analytics", "Onboarding, Knowledge sharing"),
    ("exec@guilde.test", "Hélène Dubois", Role.EXECUTIVE, EXEC, "VP Product", PAR, LB, "Leadership", False,
     "Product strategy, Leadership", "Product culture, International growth"),
    ("michael.thompson@guilde.test", "Michael Thompson", Role.EXECUTIVE, EXEC, "Chief Product Officer", NYC, NL,
     "Leadership", False, "Product strategy, Pricing", "US expansion, Coaching"),
    ("isabelle.moreau@guilde.test", "Isabelle Moreau", Role.EXECUTIVE, EXEC, "Chief Digital Officer", LYO, AS,
     "Leadership", False, "Digital transformation, Leadership", "Data, Innovation"),
    ("sales@guilde.test", "Thomas Bernard", Role.STAKEHOLDER, SALES, "Key Account Manager", PAR, LB, "Sales EMEA",
     False, "Negotiation, Retail", "Customer feedback, Roadmap"),
    ("ashley.johnson@guilde.test", "Ashley Johnson", Role.STAKEHOLDER, SALES, "Account Executive", NYC, NL, "Sales US",
     False, "Enterprise sales, Demos", "Customer feedback"),
    ("kevin.anderson@guilde.test", "Kevin Anderson", Role.STAKEHOLDER, SALES, "Sales Director", AUS, NL, "Sales US",
     False, "Forecasting, Enterprise sales", "Pricing, Roadmap"),
    ("nicolas.petit@guilde.test", "Nicolas Petit", Role.STAKEHOLDER, SUPPORT, "Support Team Lead", LYO, AS,
     "Customer Care", False, "Zendesk, Troubleshooting", "Feedback management"),
    ("brittany.davis@guilde.test", "Brittany Davis", Role.STAKEHOLDER, SUPPORT, "Support Specialist", AUS, NL,
     "Customer Care", False, "Troubleshooting, Knowledge base", "Product culture"),
    ("julie.robert@guilde.test", "Julie Robert", Role.STAKEHOLDER, CS, "Customer Success Manager", PAR, MD,
     "Customer Success", False, "Onboarding, Renewals", "Customer discovery, Feedback management"),
    ("tyler.wilson@guilde.test", "Tyler Wilson", Role.STAKEHOLDER, CS, "Customer Success Lead", AUS, NL,
     "Customer Success", False, "Renewals, Account planning", "Customer discovery"),
    ("sophie.richard@guilde.test", "Sophie Richard", Role.STAKEHOLDER, CS, "Customer Success Manager", LYO, AS,
     "Customer Success", False, "Onboarding, Training", "Product culture"),
    ("pm@guilde.test", "Léa Martin", Role.MEMBER, PM, "Senior Product Manager", PAR, LB, "E-commerce", True,
     "Discovery, Roadmapping, A/B testing", "Mentoring, Pricing, Public speaking"),
    ("designer@guilde.test", "Hugo Lefebvre", Role.MEMBER, DES, "Product Designer", LYO, AS, "Mobile app", False,
     "UX research, Figma, Design systems", "Accessibility, Prototyping"),
    ("emma.garcia@guilde.test", "Emma Garcia", Role.MEMBER, PM, "Product Manager", NYC, NL, "Learning platform", True,
     "Discovery, SQL, Experimentation", "Onboarding, Quizzes"),
    ("chloe.roux@guilde.test", "Chloé Roux", Role.MEMBER, PM, "Product Manager", PAR, MD, "Checkout", True,
     "Payments, Discovery", "Feedback management, Mentoring"),
    ("maxime.fournier@guilde.test", "Maxime Fournier", Role.MEMBER, PM, "Lead Product Manager", PAR, LB, "Loyalty",
     True, "Product strategy, OKRs, Roadmapping", "Coaching, Career paths"),
    ("ryan.clark@guilde.test", "Ryan Clark", Role.MEMBER, PM, "Senior Product Manager", AUS, NL, "Mobile learning",
     True, "Mobile, Analytics", "Pitching initiatives, Public speaking"),
    ("manon.girard@guilde.test", "Manon Girard", Role.MEMBER, DES, "UX Researcher", PAR, LB, "Research", True,
     "UX research, Interviews, Usability testing", "Customer discovery, Accessibility"),
    ("lucas.bonnet@guilde.test", "Lucas Bonnet", Role.MEMBER, PM, "Product Manager", LYO, AS, "Skin diagnosis", False,
     "Computer vision, Discovery", "AI, Experimentation"),
    ("sarah.lewis@guilde.test", "Sarah Lewis", Role.MEMBER, DES, "Senior Product Designer", NYC, NL, "Design system",
     True, "Design systems, Accessibility", "Mentoring, Design critique"),
    ("antoine.mercier@guilde.test", "Antoine Mercier", Role.MEMBER, ENG, "Engineering Manager", PAR, MD, "Platform",
     False, "Architecture, Delivery", "Dual-track agile, Tech debt"),
    ("jessica.walker@guilde.test", "Jessica Walker", Role.MEMBER, PM, "Product Manager", NYC, LB, "US e-commerce",
     False, "Growth, SEO", "International growth, Pricing"),
    ("pauline.blanc@guilde.test", "Pauline Blanc", Role.MEMBER, DATA, "Product Analyst", PAR, MD, "Data", True,
     "SQL, Dashboards, Experimentation", "KPIs, Quizzes"),
    ("david.young@guilde.test", "David Young", Role.MEMBER, PM, "Group Product Manager", AUS, NL, "Enterprise",
     False, "B2B, Roadmapping, Pricing", "Coaching, Product strategy"),
    ("camille.faure@guilde.test", "Camille Faure", Role.MEMBER, DES, "Product Designer", LYO, AS, "Web shop",
     False, "Figma, Prototyping", "Design systems, Accessibility"),
    ("julien.andre@guilde.test", "Julien André", Role.MEMBER, PM, "Product Owner", LYO, AS, "Supply chain", True,
     "Backlog management, Discovery", "Dual-track agile, Mentoring"),
    ("megan.hall@guilde.test", "Megan Hall", Role.MEMBER, PM, "Associate Product Manager", NYC, NL, "Content",
     False, "Writing specs, User interviews", "Career paths, Public speaking"),
    ("alexandre.lambert@guilde.test", "Alexandre Lambert", Role.MEMBER, PM, "Senior Product Manager", PAR, LB,
     "Personalisation", False, "Recommendation systems, Experimentation", "AI, Data"),
    ("nathalie.chevalier@guilde.test", "Nathalie Chevalier", Role.MEMBER, DES, "Design Lead", PAR, MD, "Design",
     True, "Design leadership, Workshops", "Coaching, Facilitation"),
    ("brandon.king@guilde.test", "Brandon King", Role.MEMBER, ENG, "Staff Engineer", AUS, NL, "Platform", False,
     "APIs, Performance", "Discovery, Architecture"),
    ("amelie.rousseau@guilde.test", "Amélie Rousseau", Role.MEMBER, PM, "Product Manager", PAR, LB, "Beauty advisor",
     False, "Conversational UX, Discovery", "AI, Customer discovery"),
    ("olivia.wright@guilde.test", "Olivia Wright", Role.MEMBER, PM, "Product Manager", NYC, LB, "Retail apps", True,
     "Retail, Mobile", "Feedback management, Roadmap communication"),
    ("quentin.gauthier@guilde.test", "Quentin Gauthier", Role.MEMBER, DATA, "Data Scientist", LYO, AS, "Data", False,
     "Machine learning, Python", "Experimentation, KPIs"),
    ("laura.perrin@guilde.test", "Laura Perrin", Role.MEMBER, PM, "Product Manager", PAR, MD, "Back office", False,
     "Internal tools, Discovery", "Onboarding, Playbook"),
    ("matthew.scott@guilde.test", "Matthew Scott", Role.MEMBER, DES, "UX Writer", AUS, NL, "Content design", False,
     "UX writing, Localisation", "Accessibility, Public speaking"),
    ("ines.morel@guilde.test", "Inès Morel", Role.MEMBER, PM, "Product Manager", LYO, AS, "Subscriptions", True,
     "Subscriptions, Pricing", "Mentoring, Quizzes"),
    ("chris.evans@guilde.test", "Chris Evans", Role.MEMBER, PM, "Senior Product Manager", NYC, NL, "Assessments",
     False, "EdTech, Discovery", "Learning paths, Coaching"),
    ("victor.henry@guilde.test", "Victor Henry", Role.MEMBER, ENG, "Tech Lead", PAR, LB, "E-commerce", False,
     "Frontend, Accessibility", "Design systems, Dual-track agile"),
]  # fmt: skip

CHARTER = """\
## Why we exist · Pourquoi nous existons

Product managers, designers and product ops across **Lumière Beauté, Atelier Skin, Maison Digital and
Nova Learning** learn from each other and improve, together, how the group builds products.

*Les PM, designers et product ops de toutes nos marques apprennent les uns des autres et améliorent
ensemble notre façon de faire du produit.*

## What we commit to · Nos engagements

1. **One hour a week.** Every member may give up to one hour a week to the community, agreed with their manager.
2. **Exchange sessions every two weeks**, one hour, two themes each time, open to every region.
3. **Useful feedback.** With sales, support and customer success, we agree on what a useful feedback is
   and close the loop on every one of them.
4. **Share what works.** Good practices go into the playbook and into the onboarding of newcomers.
5. **Contribution counts.** Leading an initiative or mentoring is part of the career path.

## How we decide · Comment nous décidons

- Challenges are prioritised around our four pillars.
- Initiatives too ambitious for the time we have are deprioritised, not forced.
- Product ops run the backlog; every member can propose a topic or an initiative.

## Contact

Questions? Write to [the product ops team](mailto:ops@guilde.test).
"""


def _ensure_person(row: tuple, index: int, password_hash: str) -> bool:
    """Creates one demo person with a verified e-mail and a profile; False when already there."""
    email, name, role, family, title, region, brand, team, volunteer, skills, interests = row
    user_model = get_user_model()
    if user_model.objects.filter(email=email).exists():
        return False
    french = region in (Region.PARIS, Region.LYON)
    user = user_model.objects.create(
        email=email,
        full_name=name,
        role=role,
        password=password_hash,
        is_staff=email == "ops@guilde.test",
        timezone=TIMEZONES[region],
        language="fr" if french else "en",
    )
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    languages = ["fr", "en"] if french else (["en", "es"] if index % 3 == 0 else ["en"])
    member = Member.objects.create(
        user=user,
        job_title=title,
        role_family=family,
        team=team,
        brand=brand,
        region=region,
        languages=languages,
        weekly_minutes=60 if volunteer else (30 if index % 2 else 0),
        is_volunteer=volunteer,
        joined_on=date(2025, 1, 6) + timedelta(days=11 * index),
        bio=f"{title} — {team}, {brand}.",
        search_name=services.search_name_for(name),
    )
    member.skills.set(services.tags_for(names=skills.split(",")))
    member.interests.set(services.tags_for(names=interests.split(",")))
    return True


@transaction.atomic
def seed_community() -> str:
    """The community, its charter and four pillars, and about forty members across four cities."""
    password_hash = make_password(DEMO_PASSWORD)  # hashed once: hashing forty times would take seconds
    created = sum(_ensure_person(row, index, password_hash) for index, row in enumerate(PEOPLE))
    community = selectors.get_community()
    if not community.charter:
        user_model = get_user_model()
        services.update_charter(
            actor=user_model.objects.get(email="ops@guilde.test"),
            community=community,
            version=community.version,
            name="Guilde Produit",
            purpose=(
                "The product community of practice of our group: product managers, designers and product ops "
                "who share, learn and improve how we build products, with sales, support and customer success."
            ),
            charter=CHARTER,
            official_status=OfficialStatus.OFFICIAL,
            sponsor=user_model.objects.get(email="exec@guilde.test"),
            weekly_minutes=60,
            officialised_on=date(2025, 3, 3),
        )
    return f"community: {created} people created, {len(PEOPLE) - created} already there"
