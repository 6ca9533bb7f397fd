"""The shipped 2021 plan equals the published document, with exactly three scanning repairs."""

import json
import re

import pytest
from django.conf import settings
from django.core.management import call_command

from tasks.models import Plan, Section, Task

DOCUMENT = settings.BASE_DIR / "fixtures" / "siping-2021-education-work-points.txt"
FIXTURE = settings.BASE_DIR / "fixtures" / "plan_siping_2021.json"
PAGE_BREAK_TASKS = {2, 5, 9, 12, 18, 21, 25, 28, 31, 34}
SCANNING_REPAIRS = [
    ("督導體制", "督导体制"),
    ("学前教育 and 高中教育", "学前教育和高中教育"),
    ("街接", "衔接"),
]


def document_paragraphs():
    """The document's lines, page-break fragments joined by hand from the list in the issue."""
    lines = [line.strip() for line in DOCUMENT.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line and line != "2021"]
    joined, previous_task = [], None
    for line in lines:
        task_number = re.match(r"(\d+)\. ", line)
        is_heading = task_number or re.match(r"[一二三四五六七]、", line)
        if not is_heading and previous_task in PAGE_BREAK_TASKS and joined and not joined[-1].endswith("。"):
            joined[-1] += line
            continue
        joined.append(line)
        previous_task = int(task_number.group(1)) if task_number else None
    return joined


def repaired(text):
    for wrong, right in SCANNING_REPAIRS:
        text = text.replace(wrong, right)
    return text


def fixture_objects(model):
    return [o["fields"] for o in json.loads(FIXTURE.read_text(encoding="utf-8")) if o["model"] == model]


def test_every_task_and_section_equals_the_document():
    paragraphs = document_paragraphs()
    preamble, body = paragraphs[0], paragraphs[1:]
    sections = [p for p in body if re.match(r"[一二三四五六七]、", p)]
    tasks = [p for p in body if re.match(r"\d+\. ", p)]
    assert len(sections) == 7 and len(tasks) == 35
    assert len(body) == 42, "every paragraph is a heading or a task once page breaks are joined"

    assert [s["title"] for s in fixture_objects("tasks.section")] == [s[2:] for s in sections]
    assert [s["number"] for s in fixture_objects("tasks.section")] == list(range(1, 8))
    plan = fixture_objects("tasks.plan")[0]
    assert plan["year"] == 2021 and plan["preamble"] == preamble

    fixture_tasks = fixture_objects("tasks.task")
    assert [t["number"] for t in fixture_tasks] == list(range(1, 36))
    for fields, paragraph in zip(fixture_tasks, tasks):
        expected = repaired(paragraph[paragraph.index(" ") + 1 :])
        assert f"{fields['title']}。{fields['content']}" == expected, fields["number"]
        assert not fields["title"].endswith("。")


def test_sections_own_the_tasks_printed_under_them():
    body = document_paragraphs()[1:]
    section_of_task, section = {}, 0
    for paragraph in body:
        if re.match(r"[一二三四五六七]、", paragraph):
            section += 1
        else:
            section_of_task[int(paragraph.split(".")[0])] = section
    assert {t["number"]: t["section"][1] for t in fixture_objects("tasks.task")} == section_of_task


def test_the_three_repairs_and_the_joins_are_in_place():
    tasks = {t["number"]: t for t in fixture_objects("tasks.task")}
    assert tasks[5]["title"] == "做好教育“十四五”规划编制工作"
    assert tasks[10]["title"] == "完善教育督导体制机制"
    assert "督导体制机制改革" in tasks[10]["content"]
    assert "学前教育和高中教育" in tasks[21]["content"]
    assert "学科教学衔接活动" in tasks[28]["content"]
    assert "树立大抓基层的鲜明导向" in tasks[2]["content"]
    text = FIXTURE.read_text(encoding="utf-8")
    assert "導" not in text and "體" not in text and " and " not in text and "街接" not in text


@pytest.mark.django_db
def test_fixture_loads_into_the_database_and_reloads_without_duplicates():
    call_command("loaddata", "plan_siping_2021", verbosity=0)
    call_command("loaddata", "plan_siping_2021", verbosity=0)
    plan = Plan.objects.get(year=2021)
    assert plan.status == Plan.Status.ACTIVE
    assert Section.objects.filter(plan=plan).count() == 7
    assert Task.objects.filter(plan=plan).count() == 35
    assert Task.objects.get(plan=plan, number=10).title == "完善教育督导体制机制"


def test_the_fixture_is_what_the_parser_makes_of_the_document(tmp_path):
    output = tmp_path / "plan.json"
    call_command(
        "write_plan_fixture", str(DOCUMENT), "--year", "2021",
        "--title", "四平市2021年教育工作要点", "--issuing-body", "四平市教育局",
        *[f"--repair={wrong}={right}" for wrong, right in SCANNING_REPAIRS],
        "-o", str(output), stdout=open("/dev/null", "w"), stderr=open("/dev/null", "w"),
    )
    assert json.loads(output.read_text(encoding="utf-8")) == json.loads(FIXTURE.read_text(encoding="utf-8"))
