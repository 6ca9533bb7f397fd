from tasks.intake.plan_text import parse_plan_text
from tasks.intake.units import split_units

SIMPLE = """工作要点

2021年的总体思路是：抓落实。

一、党建工作

1. 加强学习。学习内容。

2．夯实基础。落实要求，树立

大抓基层的导向。

二、教育改革

3、深化改革。出台方案。（牵头单位：基础教育科；配合单位：督导室、教研室）
"""


def test_sections_tasks_preamble_and_page_break_join():
    plan = parse_plan_text(SIMPLE)
    assert plan.title == "工作要点"
    assert plan.preamble == "2021年的总体思路是：抓落实。"
    assert [(s.number, s.title) for s in plan.sections] == [(1, "党建工作"), (2, "教育改革")]
    assert [(t.number, t.title, t.content) for t in plan.tasks] == [
        (1, "加强学习", "学习内容。"),
        (2, "夯实基础", "落实要求，树立大抓基层的导向。"),
        (3, "深化改革", "出台方案。（牵头单位：基础教育科；配合单位：督导室、教研室）"),
    ]


def test_owner_note_sets_departments():
    task = parse_plan_text(SIMPLE).tasks[2]
    assert task.leads == ["基础教育科"]
    assert task.cooperating == ["督导室", "教研室"]


def test_numbering_restarting_per_section_keeps_the_printed_label():
    plan = parse_plan_text("一、甲\n（1）任务甲。内容。\n二、乙\n（1）任务乙。内容。\n")
    assert [(t.number, t.label) for t in plan.tasks] == [(1, ""), (2, "（1）")]


def test_closing_paragraph_is_not_part_of_the_last_task():
    plan = parse_plan_text("一、甲\n1. 任务。内容。\n各单位要认真落实。\n")
    assert plan.tasks[0].content == "内容。"
    assert plan.closing_note == "各单位要认真落实。"


def test_title_split_ignores_full_stops_inside_quotes():
    plan = parse_plan_text("一、甲\n1. 开展“学习。实践”活动。具体内容。\n")
    assert plan.tasks[0].title == "开展“学习。实践”活动"
    assert plan.tasks[0].content == "具体内容。"


def test_warnings_name_traditional_characters_latin_words_and_stray_lines():
    plan = parse_plan_text("2021\n一、甲\n1. 完善督導體制。推进学前教育 and 高中教育。\n")
    messages = [(w.line, w.original, w.suggestion) for w in plan.warnings]
    assert (1, "2021", "") in messages
    assert (3, "導體", "导体") in messages
    assert any(original.strip() == "and" for _, original, _ in messages)
    assert plan.tasks[0].title == "完善督導體制", "warnings never change the text"


def test_full_width_digits_in_labels():
    plan = parse_plan_text("一、甲\n１２．任务。内容。\n")
    assert plan.tasks[0].title == "任务"
    assert plan.tasks[0].label == "１２．"


def test_unit_lists_accept_every_separator():
    assert split_units("办公室、督导室，教研室,法规科；计财科;语委办/德育科\n宣传科") == [
        "办公室", "督导室", "教研室", "法规科", "计财科", "语委办", "德育科", "宣传科",
    ]


def test_the_siping_document_reports_its_three_scanning_faults():
    from django.conf import settings

    text = (settings.BASE_DIR / "fixtures" / "siping-2021-education-work-points.txt").read_text(encoding="utf-8")
    plan = parse_plan_text(text)
    faults = {(w.original.strip(), w.suggestion) for w in plan.warnings if w.original != "2021"}
    assert faults == {("導體", "导体"), ("and", ""), ("街接", "衔接")}
    assert len(plan.sections) == 7 and len(plan.tasks) == 35
