from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("rituals", "0001_rituals_sessions_topics"),
    ]

    operations = [
        migrations.AddField(
            model_name="topiccomment",
            name="version",
            field=models.PositiveIntegerField(db_default=1, default=1, editable=False),
        ),
    ]
