"""The operations app's schedules: the beat's heartbeat each minute and the nightly sweep of
stored files no record refers to (editable afterwards in the admin)."""

from django.db import migrations

HEARTBEAT = "调度心跳"
SWEEP = "清理无主文件"


def create_schedules(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=60, period="seconds")
    PeriodicTask.objects.get_or_create(name=HEARTBEAT, defaults={"task": "ops.jobs.beat_heartbeat",
                                                                 "interval": every_minute})
    nightly, _ = CrontabSchedule.objects.get_or_create(
        minute="40", hour="3", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Shanghai")
    PeriodicTask.objects.get_or_create(name=SWEEP, defaults={"task": "ops.jobs.sweep_stored_files",
                                                             "crontab": nightly})


def remove_schedules(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=[HEARTBEAT, SWEEP]).delete()


class Migration(migrations.Migration):
    dependencies = [("django_celery_beat", "0019_alter_periodictasks_options")]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
