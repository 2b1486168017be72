"""Fewer index updates per new feedback: what the CSV import (100,000 rows into 1M) pays for.

Every index is a B-tree update on every insert; measured on the 1M-row benchmark database, they
were most of the import's SQL time. Nothing any page reads is lost (see bench/RESULTS.md):

- the indexes of mostly-empty columns become partial (non-null rows only): processed/resolved/
  declined dates, duplicate_of, account, segment. A new feedback has none of them (or no account),
  so it skips them; every query compares these columns to a value, which the partial index
  serves on SQLite and PostgreSQL alike;
- StatusChange.feedback loses its own index: (feedback, at) starts with it;
- StatusChange (to_status, at) is dropped: nothing queries it (KPIs read the feedback rows and
  the aggregates);
- Feedback.last_changed_by loses its index: no page reads by it; deleting a user then scans the
  table once (~0.7 s at 1M rows) instead of every import updating it;
- PostgreSQL: the pg_trgm GIN index on the title is dropped. The trigram fallback of the
  similar-feedback search compares the newest 5,000 titles (read by primary key), which never
  uses that index, while each insert added ~40 trigram postings to it.

The foreign keys' own indexes are dropped by name rather than through AlterField: on SQLite,
AlterField remakes the whole table (1M rows, and its full-text triggers would be lost).

SQLite then re-reads the tables' statistics (ANALYZE, ~5 s at 1M rows): without them the new
indexes have none, and the planner picked a 0.9 s plan for the inbox filtered by segment.
PostgreSQL keeps per-column statistics, which its new indexes use as they are.
"""

from django.conf import settings
from django.db import migrations, models

#: The indexes Django created for these foreign keys (same names on SQLite and PostgreSQL).
FK_INDEXES = (
    ("feedback_feedback_last_changed_by_id_0110d092", "feedback_feedback", "last_changed_by_id"),
    ("feedback_feedback_duplicate_of_id_8418123c", "feedback_feedback", "duplicate_of_id"),
    ("feedback_statuschange_feedback_id_8fd816bc", "feedback_statuschange", "feedback_id"),
)
TRIGRAM_INDEX = "feedback_feedback_title_trgm_idx"


def drop_fk_indexes(apps, schema_editor):
    for name, _table, _column in FK_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def create_fk_indexes(apps, schema_editor):
    for name, table, column in FK_INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({column})")


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}")


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON feedback_feedback USING gin (title gin_trgm_ops)"
        )


def analyze_sqlite(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("ANALYZE feedback_feedback")
        schema_editor.execute("ANALYZE feedback_statuschange")


class Migration(migrations.Migration):
    dependencies = [
        # 0006 (the search index's rowids) was written first; this keeps the graph a single line.
        ("feedback", "0006_feedback_search_rowids"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Unapplying ends here: statistics for the indexes put back.
        migrations.RunPython(migrations.RunPython.noop, analyze_sqlite, elidable=False),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="feedback",
                    name="duplicate_of",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=models.deletion.SET_NULL,
                        related_name="duplicates",
                        to="feedback.feedback",
                        verbose_name="duplicate of",
                    ),
                ),
                migrations.AlterField(
                    model_name="feedback",
                    name="last_changed_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        editable=False,
                        null=True,
                        on_delete=models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="last changed by",
                    ),
                ),
                migrations.AlterField(
                    model_name="statuschange",
                    name="feedback",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=models.deletion.CASCADE,
                        related_name="history",
                        to="feedback.feedback",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(drop_fk_indexes, create_fk_indexes, elidable=False)],
        ),
        migrations.RemoveIndex(model_name="feedback", name="fb_segment_status_arr_idx"),
        migrations.RemoveIndex(model_name="feedback", name="fb_account_received_idx"),
        migrations.RemoveIndex(model_name="feedback", name="fb_processed_at_idx"),
        migrations.RemoveIndex(model_name="feedback", name="fb_resolved_at_idx"),
        migrations.RemoveIndex(model_name="feedback", name="fb_declined_at_idx"),
        migrations.RemoveIndex(model_name="statuschange", name="fb_change_to_at_idx"),
        migrations.AddIndex(
            model_name="feedback",
            index=models.Index(
                condition=models.Q(("segment__isnull", False)),
                fields=["segment", "status", "arr", "id"],
                name="fb_segment_status_arr_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="feedback",
            index=models.Index(
                condition=models.Q(("account__isnull", False)),
                fields=["account", "received_at", "id"],
                name="fb_account_received_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="feedback",
            index=models.Index(
                condition=models.Q(("processed_at__isnull", False)), fields=["processed_at"], name="fb_processed_at_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="feedback",
            index=models.Index(
                condition=models.Q(("resolved_at__isnull", False)), fields=["resolved_at"], name="fb_resolved_at_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="feedback",
            index=models.Index(
                condition=models.Q(("declined_at__isnull", False)), fields=["declined_at"], name="fb_declined_at_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="feedback",
            index=models.Index(
                condition=models.Q(("duplicate_of__isnull", False)), fields=["duplicate_of"], name="fb_duplicate_of_idx"
            ),
        ),
        migrations.RunPython(drop_trigram_index, create_trigram_index, elidable=False),
        migrations.RunPython(analyze_sqlite, migrations.RunPython.noop, elidable=False),
    ]
