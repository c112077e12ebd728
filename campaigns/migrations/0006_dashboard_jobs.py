"""The dashboards' periodic jobs, editable in the admin like the others (Asia/Kolkata)."""

from django.db import migrations

JOBS = [
    # (name, task, crontab minute, hour)
    ("Recount roster health (every 15 minutes)", "campaigns.tasks.refresh_roster_health", "*/15", "*"),
    ("Recompute yesterday's and today's dashboard figures (02:30)", "campaigns.tasks.refresh_dashboard_stats",
     "30", "2"),
]


def create_jobs(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, minute, hour in JOBS:
        schedule, _ = CrontabSchedule.objects.get_or_create(
            minute=minute, hour=hour, day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Kolkata"
        )
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "crontab": schedule})


def remove_jobs(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for name, *_ in JOBS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0005_dashboard_stats"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_jobs, remove_jobs)]
