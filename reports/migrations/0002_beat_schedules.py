"""The bureau's default schedules, editable afterwards in the admin (django-celery-beat)."""

from django.db import migrations

SCHEDULES = [
    # (name, task, minute, hour, day_of_month, month_of_year)
    ("季度进展总结（上一季度）", "reports.jobs.generate_due_quarterly_summaries", "0", "2", "1", "1,4,7,10"),
    ("每日催办提醒", "reports.jobs.send_daily_reminders", "30", "8", "*", "*"),
]


def create_schedules(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, task, minute, hour, day_of_month, month_of_year in SCHEDULES:
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute, hour=hour, day_of_week="*", day_of_month=day_of_month,
            month_of_year=month_of_year, timezone="Asia/Shanghai",
        )
        PeriodicTask.objects.get_or_create(name=name, defaults={"task": task, "crontab": crontab})


def remove_schedules(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[row[0] for row in SCHEDULES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
