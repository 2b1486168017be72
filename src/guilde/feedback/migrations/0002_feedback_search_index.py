"""Full-text index over feedback title and problem (SQLite FTS5 / PostgreSQL tsvector + pg_trgm).

The index definition is spelled out here rather than imported from the app, so this migration
keeps meaning what it meant when it was written.
"""

from django.db import migrations

from guilde.core.search import SearchIndex, install_index, uninstall_index

FEEDBACK_INDEX = SearchIndex(table="feedback_feedback", columns=("title", "problem"), trigram_column="title")


def forwards(apps, schema_editor):
    install_index(schema_editor, FEEDBACK_INDEX)


def backwards(apps, schema_editor):
    uninstall_index(schema_editor, FEEDBACK_INDEX)


class Migration(migrations.Migration):
    atomic = True

    dependencies = [("feedback", "0001_feedback_accounts_opportunities")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
