from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0003_plan_stamp"),
    ]

    operations = [
        migrations.AddField(
            model_name="challengecomment",
            name="version",
            field=models.PositiveIntegerField(db_default=1, default=1, editable=False),
        ),
    ]
