"""The evening reminder (18:00 IST), editable in the admin like the other jobs."""

from django.db import migrations

NAME = "Evening reminder of calls not logged (18:00)"


def create_job(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="18", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Kolkata"
    )
    PeriodicTask.objects.get_or_create(
        name=NAME, defaults={"task": "campaigns.tasks.send_evening_reminders", "crontab": schedule}
    )


def remove_job(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0003_call_logs_follow_ups_messages")]

    operations = [migrations.RunPython(create_job, remove_job)]
