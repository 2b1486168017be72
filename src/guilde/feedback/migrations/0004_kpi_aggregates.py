"""Pre-aggregated KPI tables (counts per day/month and lead-time histograms).

Filled by `manage.py rebuild_kpi_aggregates` for existing data; kept up to date by the services.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("feedback", "0003_default_policy_and_rubric")]

    operations = [
        migrations.CreateModel(
            name="KpiStat",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("grain", models.CharField(max_length=1)),
                ("day", models.DateField()),
                ("dimension", models.CharField(max_length=8)),
                ("key", models.CharField(blank=True, default="", max_length=120)),
                ("received", models.IntegerField(default=0)),
                ("processed", models.IntegerField(default=0)),
                ("resolved", models.IntegerField(default=0)),
                ("declined", models.IntegerField(default=0)),
                ("processed_late", models.IntegerField(default=0)),
                ("resolved_late", models.IntegerField(default=0)),
            ],
            options={
                "verbose_name": "KPI aggregate",
                "verbose_name_plural": "KPI aggregates",
                "constraints": [
                    models.UniqueConstraint(fields=("dimension", "grain", "day", "key"), name="fb_kpi_stat_uniq")
                ],
            },
        ),
        migrations.CreateModel(
            name="KpiLeadTime",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("grain", models.CharField(max_length=1)),
                ("day", models.DateField()),
                ("kind", models.CharField(max_length=8)),
                ("bucket", models.SmallIntegerField()),
                ("count", models.IntegerField(default=0)),
            ],
            options={
                "verbose_name": "KPI lead-time bucket",
                "verbose_name_plural": "KPI lead-time buckets",
                "constraints": [
                    models.UniqueConstraint(fields=("kind", "grain", "day", "bucket"), name="fb_kpi_lead_uniq")
                ],
            },
        ),
    ]
