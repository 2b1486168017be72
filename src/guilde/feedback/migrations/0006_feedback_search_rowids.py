"""Feedback search index (SQLite): rowids only — FTS5 `detail=none`, `columnsize=0` — rebuilt from the rows.

The search reads neither token positions nor column sizes any more (no phrase queries, no bm25:
see guilde.core.search), so the index keeps neither: 27 MB instead of 135 MB at 1M feedbacks,
cheaper on every write. About 10 s at 1M rows. PostgreSQL's index is unchanged (nothing to do).

Both definitions are spelled out here rather than imported from the app, so this migration keeps
meaning what it meant when it was written.
"""

from django.db import migrations

from guilde.core.search import SearchIndex, rebuild_sqlite_fts

BEFORE = SearchIndex(
    table="feedback_feedback", columns=("title", "problem"), trigram_column="title", detail="full", columnsize=True
)
AFTER = SearchIndex(
    table="feedback_feedback", columns=("title", "problem"), trigram_column="title", detail="none", columnsize=False
)


def forwards(apps, schema_editor):
    rebuild_sqlite_fts(schema_editor, BEFORE, AFTER)


def backwards(apps, schema_editor):
    rebuild_sqlite_fts(schema_editor, AFTER, BEFORE)


class Migration(migrations.Migration):
    atomic = True

    dependencies = [("feedback", "0004_kpi_aggregates")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
