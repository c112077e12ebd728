"""The periodic jobs, in django-celery-beat's tables so admins can change their
times in the admin without a deploy. All times are Asia/Kolkata."""

from django.db import migrations

JOBS = [
    # (name, task, crontab minute, hour)
    ("Refresh calling queues from the roster (05:30)", "campaigns.tasks.sync_rotation", "30", "5"),
    ("Daily call assignment (07:00)", "campaigns.tasks.assign_calls", "0", "7"),
    # Re-running only fills what is missing: this recovers a day on which beat or
    # the broker was down at 07:00, and gives new callers their calls.
    ("Make sure today's calls are assigned (hourly)", "campaigns.tasks.assign_calls", "20", "7-20"),
    ("Mark unlogged calls of past days missed", "campaigns.tasks.mark_missed_calls", "5", "*"),
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
        ("campaigns", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_jobs, remove_jobs)]
