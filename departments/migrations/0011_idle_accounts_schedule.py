"""Every night at 02:30, accounts unused for ACCOUNT_IDLE_DAYS are deactivated (editable in the admin)."""

from django.db import migrations

NAME = "停用闲置账号"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="30", hour="2", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai")
    PeriodicTask.objects.get_or_create(name=NAME, defaults={"task": "departments.jobs.disable_idle_accounts",
                                                           "crontab": crontab})


def remove_schedule(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("departments", "0010_password_history"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
