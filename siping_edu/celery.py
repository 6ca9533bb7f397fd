import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "siping_edu.settings")

app = Celery("siping_edu")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Background jobs live in each app's jobs.py, so "task" keeps its bureau meaning.
app.autodiscover_tasks(related_name="jobs")


def send_job(job, *args):
    """Send `job` to the workers now; False (logged) when the broker cannot be reached.

    Callers keep what the job is for in the database (a queued summary, a waiting robot message),
    so nothing is lost: a beat job sends it again once Redis answers."""
    import logging

    from kombu.exceptions import OperationalError as BrokerUnreachable
    from redis.exceptions import RedisError

    try:
        job.apply_async(args, retry=False)
    except (BrokerUnreachable, RedisError, ConnectionError) as error:
        logging.getLogger(__name__).warning("job %s%r not sent, the broker is unreachable (%s); "
                                            "it is sent again later", job.name, args, error)
        return False
    except Exception:
        if not app.conf.task_always_eager:
            raise
        # The embedded default runs the job here, inside the request: a job that fails has recorded
        # its failure (a summary's state, a delivery's error), which is what a worker would leave.
        logging.getLogger(__name__).exception("job %s%r failed in-process", job.name, args)
    return True


def send_job_on_commit(job, *args):
    """`send_job` once the current transaction commits (nothing is sent for a rolled-back one)."""
    from django.db import transaction

    transaction.on_commit(lambda: send_job(job, *args))
