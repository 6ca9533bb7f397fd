"""Pages and files of a signed-in person are not stored by the browser or a proxy (shared PCs)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_signed_in_pages_and_exports_say_no_store(client, task, lead_staff):
    client.force_login(lead_staff)
    for url in (reverse("tasks:my_tasks"), reverse("tasks:task_detail", args=[task.plan.year, task.number]),
                reverse("intake:plan_export", args=[task.plan.year])):
        response = client.get(url)
        assert response.status_code == 200, url
        assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}, url


def test_the_traditional_to_simplified_converter_is_built_once_per_process():
    """It reads dictionaries from disk: built per paragraph, a 2,000-task plan took seconds."""
    from tasks.intake.plan_text import parse_plan_text
    from tasks.intake.plan_text.checks import _converter

    text = "一、甲\n" + "".join(f"{n}. 任务{n}。完善督導體制。\n" for n in range(1, 200))
    _converter.cache_clear()
    plan = parse_plan_text(text)
    assert len(plan.tasks) == 199 and _converter.cache_info().misses == 1
