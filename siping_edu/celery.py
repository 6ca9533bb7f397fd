import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siping_edu.settings")

app = Celery("siping_edu")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Background jobs live in each app's jobs.py, so "task" keeps its bureau meaning.
app.autodiscover_tasks(related_name="jobs")
