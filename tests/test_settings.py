"""The settings module reads the environment and refuses unsafe combinations."""

import os
import subprocess
import sys

from django.conf import settings

PROJECT = settings.BASE_DIR


def run_check(**environment):
    env = {key: value for key, value in os.environ.items() if key not in ("DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL")}
    env.update(environment)
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=PROJECT, env=env, capture_output=True, text=True
    )


def test_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = run_check(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_starts_with_a_secret_key_and_no_debug():
    result = run_check(DEBUG="0", SECRET_KEY="x" * 50, ALLOWED_HOSTS="portal.example")
    assert result.returncode == 0, result.stderr


def test_time_zone_and_language():
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert (PROJECT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.mo").exists()


def test_celery_runs_in_process_without_redis_and_through_redis_with_it():
    from siping_edu.celery import app

    if settings.REDIS_URL:
        assert app.conf.broker_url == settings.REDIS_URL and not app.conf.task_always_eager
    else:
        assert app.conf.task_always_eager and app.conf.task_eager_propagates
    assert app.conf.task_acks_late and app.conf.worker_prefetch_multiplier == 1


def test_production_settings_pass_the_deployment_checklist():
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; production never does.
    env = {key: value for key, value in os.environ.items()
           if key not in ("DEBUG", "DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(DEBUG="0", SECRET_KEY="k" * 60 + "-not-a-real-secret-7Hq", ALLOWED_HOSTS="portal.example")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT, env=env, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr + result.stdout
