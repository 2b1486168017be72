"""The default useful-feedback definition, rubric and segments, so a fresh install works at once."""

from django.db import migrations

CRITERIA = [
    (
        "problem_not_solution",
        "problem_not_solution",
        "States the problem, not a solution",
        "Décrit le problème, pas une solution",
        "Say what the customer cannot do and why, rather than the feature they asked for.",
        "Dites ce que le client ne peut pas faire et pourquoi, plutôt que la fonctionnalité demandée.",
    ),
    (
        "names_customer_and_segment",
        "names_customer_and_segment",
        "Names the customer and segment",
        "Nomme le client et son segment",
        "Pick the customer account (its segment comes with it) or name the contact.",
        "Choisissez le compte client (son segment suit) ou nommez le contact.",
    ),
    (
        "has_evidence",
        "has_evidence",
        "Has evidence: quote, ticket, recording",
        "Apporte une preuve : verbatim, ticket, enregistrement",
        "Paste the customer's own words or link the ticket or recording.",
        "Collez les mots du client ou liez le ticket ou l'enregistrement.",
    ),
    (
        "says_impact",
        "says_impact",
        "Says the impact",
        "Indique l'impact",
        "Set the impact and say what it costs the customer: time, money, renewal.",
        "Indiquez l'impact et ce qu'il coûte au client : temps, argent, renouvellement.",
    ),
]
SEGMENTS = [("smb", "SMB", "TPE/PME"), ("mid_market", "Mid-market", "ETI"), ("enterprise", "Enterprise", "Grands comptes")]


def forwards(apps, schema_editor):
    Policy = apps.get_model("feedback", "FeedbackPolicy")
    Criterion = apps.get_model("feedback", "QualityCriterion")
    Segment = apps.get_model("feedback", "Segment")
    Policy.objects.get_or_create(pk=1, defaults={"required_fields": ["title", "problem", "source"]})
    for position, (key, kind, label_en, label_fr, hint_en, hint_fr) in enumerate(CRITERIA):
        Criterion.objects.get_or_create(
            key=key,
            defaults={
                "kind": kind,
                "label_en": label_en,
                "label_fr": label_fr,
                "hint_en": hint_en,
                "hint_fr": hint_fr,
                "weight": 25,
                "position": position,
            },
        )
    for position, (key, name_en, name_fr) in enumerate(SEGMENTS):
        Segment.objects.get_or_create(key=key, defaults={"name_en": name_en, "name_fr": name_fr, "position": position})


class Migration(migrations.Migration):
    dependencies = [("feedback", "0002_feedback_search_index")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
