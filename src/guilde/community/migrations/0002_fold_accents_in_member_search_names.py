"""Member.search_name drops accents now ("Léa" → "lea"): recompute it for the existing profiles."""

import unicodedata

from django.db import migrations

BATCH_SIZE = 500


def _fold(full_name):
    # A frozen copy of community.services.search_name_for, so this migration means the same forever.
    decomposed = unicodedata.normalize("NFKD", " ".join((full_name or "").split()).casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))[:150]


def fold_search_names(apps, schema_editor):
    # Batches by primary key, each read in full before writing: SQLite does not isolate a cursor
    # from writes to the same table on the same connection.
    Member = apps.get_model("community", "Member")
    members = Member.objects.select_related("user").only("pk", "search_name", "user__full_name").order_by("pk")
    last_pk = 0
    while batch := list(members.filter(pk__gt=last_pk)[:BATCH_SIZE]):
        last_pk = batch[-1].pk
        changed = []
        for member in batch:
            folded = _fold(member.user.full_name)
            if member.search_name != folded:
                member.search_name = folded
                changed.append(member)
        Member.objects.bulk_update(changed, ["search_name"])


class Migration(migrations.Migration):
    dependencies = [("community", "0001_community_members_pillars")]

    operations = [migrations.RunPython(fold_search_names, migrations.RunPython.noop, elidable=True)]
