"""The plan parser's rules, each on a small document written for it (no corpus needed)."""

import pytest

from tasks.intake.plan_text import accounted_share, parse_plan_text


def tasks_of(text):
    return [(t.printed_label, t.title, t.leads, t.cooperating) for t in parse_plan_text(text).tasks]


def test_title_and_document_number_open_the_document():
    plan = parse_plan_text("市教育局关于印发2022年工作要点的通知\n四教发〔2022〕3号\n\n各县（市、区）教育局：\n现印发。\n一、党建\n1. 学习。内容。\n")
    assert (plan.title, plan.doc_number) == ("市教育局关于印发2022年工作要点的通知", "四教发〔2022〕3号")
    assert plan.preamble == "各县（市、区）教育局：\n现印发。"


def test_groups_hold_the_tasks_and_numbering_runs_on_across_groups():
    plan = parse_plan_text(
        "一、主要任务\n（一）统筹两个市场。\n1. 拓展市场。内容甲。\n2. 提前适用政策。内容乙。\n"
        "（二）推动创新。\n3. 释放产能。内容丙。\n"
    )
    assert [(t.printed_label, t.title, t.group) for t in plan.tasks] == [
        ("1.", "拓展市场", "（一）统筹两个市场"), ("2.", "提前适用政策", "（一）统筹两个市场"), ("3.", "释放产能", "（二）推动创新"),
    ]
    assert "（一）统筹两个市场。" in plan.sections[0].text, "group headings stay in the section's text"


def test_items_of_one_level_are_the_tasks_even_when_numbering_restarts_per_section():
    plan = parse_plan_text("一、甲\n（一）任务一。内容。\n（二）任务二。内容。\n二、乙\n（一）任务三。内容。\n")
    assert [(t.number, t.label, t.printed_label) for t in plan.tasks] == [(1, "", "（一）"), (2, "", "（二）"), (3, "（一）", "（一）")]


@pytest.mark.parametrize("heading", ["指导思想", "基本原则", "总体要求", "发展目标", "指导思想和基本原则"])
def test_numbered_principles_and_goals_are_section_text_not_tasks(heading):
    plan = parse_plan_text(f"一、{heading}\n（一）坚持改革。要点。\n（二）坚持创新。要点。\n二、主要任务\n（三）开展工作。内容。\n")
    assert [t.title for t in plan.tasks] == ["开展工作"]
    assert "（一）坚持改革。要点。" in plan.sections[0].text


def test_principle_items_inside_a_task_section_and_the_paragraphs_under_them_are_not_tasks():
    plan = parse_plan_text(
        "一、总体要求\n（一）指导思想。以思想为指导。\n（二）基本原则。\n坚持一。\n坚持二。\n"
        "二、任务\n（三）丰富赛事。内容。\n"
    )
    assert [t.printed_label for t in plan.tasks] == ["（三）"]
    assert plan.sections[0].text.endswith("坚持一。\n坚持二。")
    mixed = parse_plan_text("一、工作安排\n（一）基本原则。\n坚持一。\n（二）开展试点。内容。\n")
    assert [t.title for t in mixed.tasks] == ["开展试点"] and "坚持一。" in mixed.sections[0].text


def test_a_heading_on_its_own_line_takes_the_following_paragraphs_as_its_text():
    plan = parse_plan_text("一、甲\n（一）完善制度。\n第一段。\n第二段。\n（二）提高质量。\n第三段。\n")
    assert [(t.title, t.content) for t in plan.tasks] == [("完善制度", "第一段。\n第二段。"), ("提高质量", "第三段。")]
    assert plan.closing_note == ""


def test_an_unnumbered_paragraph_after_the_last_run_in_task_closes_the_document():
    plan = parse_plan_text("一、甲\n（一）任务一。内容一。\n（二）任务二。内容二。\n各地要认真落实。\n市教育局\n2022年3月1日\n")
    assert plan.tasks[-1].content == "内容二。"
    assert plan.closing_note == "各地要认真落实。\n市教育局\n2022年3月1日"


def test_section_titles_lose_trailing_punctuation_and_a_run_in_section_keeps_its_text():
    plan = parse_plan_text("一、总体要求：\n坚持稳中求进。\n二、保障措施。各地要加强领导。\n")
    assert [s.title for s in plan.sections] == ["总体要求", "保障措施"]
    assert plan.sections[1].text == "各地要加强领导。"


def test_an_annex_that_numbers_again_is_end_matter_not_a_refusal():
    plan = parse_plan_text("一、甲\n1. 任务。内容。\n二、乙\n2. 任务二。内容。\n市教育局\n2022年1月5日\n附件\n一、附表说明\n二、其他\n")
    assert len(plan.sections) == 2 and plan.closing_note.endswith("一、附表说明\n二、其他")


def test_a_first_sentence_without_a_full_stop_is_cut_and_said_so():
    long_heading = "加强" + "，".join(["各项工作统筹推进"] * 30)
    plan = parse_plan_text(f"一、甲\n1. {long_heading}\n")
    assert plan.tasks[0].title == "加强各项工作统筹推进"
    assert any("标题" in w.message or "title" in w.message for w in plan.warnings)
    assert accounted_share(f"一、甲\n1. {long_heading}\n", plan)[0] == 1.0


@pytest.mark.parametrize("note, leads, cooperating", [
    ("（牵头单位：市委组织部；配合单位：市国资委）", ["市委组织部"], ["市国资委"]),
    ("（牵头单位：市委组织部，配合单位：市国资委、市财政局）", ["市委组织部"], ["市国资委", "市财政局"]),
    ("（市教育局牵头，市财政局、市人社局配合）", ["市教育局"], ["市财政局", "市人社局"]),
    ("（市教育局牵头，市财政局参与）", ["市教育局"], ["市财政局"]),
    ("（人力资源社会保障部、财政部负责）", ["人力资源社会保障部", "财政部"], []),
    ("（负责部门：住房城乡建设部；适用范围：所有自贸试验区）", ["住房城乡建设部"], []),
    ("（负责部门：海关总署，适用范围：福建自贸试验区）", ["海关总署"], []),
    ("（责任单位：基础教育科、督导室）", ["基础教育科", "督导室"], []),
    ("（责任科室：基础教育科）", ["基础教育科"], []),
    ("（财政部、民政部等有关部门和单位按职责分工负责）", ["财政部", "民政部"], []),
    ("（各县（市、区）负责）", ["各县（市、区）"], []),
    ("（各区、县级市负责）", ["各区、县级市"], []),
    ("（海关总署、商务部，各省级人民政府按职责分工负责）", ["海关总署", "商务部", "各省级人民政府"], []),
])
def test_owner_notes_in_every_common_form(note, leads, cooperating):
    assert tasks_of(f"一、甲\n1. 开展工作。具体内容。{note}\n") == [("1.", "开展工作", leads, cooperating)]


def test_the_first_listed_unit_leads_where_the_document_says_so_and_from_then_on():
    text = ("一、甲\n（一）任务一。内容。（人社部、财政部负责。列第一位者为牵头单位，下同）\n"
            "（二）任务二。内容。（财政部、教育部、人民银行负责）\n")
    plan = parse_plan_text(text)
    assert [(t.leads, t.cooperating) for t in plan.tasks] == [(["人社部"], ["财政部"]), (["财政部"], ["教育部", "人民银行"])]
    assert plan.first_listed_leads


def test_several_notes_in_one_task_merge_in_order_without_repeats():
    text = "一、甲\n（一）鼓励创新。甲事。（市场监管总局、体育总局负责）乙事。（体育总局、教育部负责）\n"
    assert tasks_of(text)[0][2] == ["市场监管总局", "体育总局", "教育部"]


def test_brackets_that_are_not_owner_notes_stay_prose():
    assert tasks_of("一、甲\n1. 扩大规模（见附表）。逐年扩招（共3年）。\n") == [("1.", "扩大规模（见附表）", [], [])]


def test_a_task_table_in_the_text_gives_the_tasks_of_the_section_that_names_its_groups():
    text = (
        "一、推广的举措（共3项）\n（一）知识产权方面2项：甲；乙。\n（二）金融方面1项：丙。\n二、抓好落实\n要求。\n"
        "国务院办公厅\n2018年12月23日\n附件\n清单\n"
        "序号\t改革举措\t主 要 内 容\t指导部门\t推广范围\n"
        "一、知识产权方面（共2项）\n1\t甲举措\t甲的内容。\t最高人民法院、国家知识产权局\t全国\n"
        "2\t乙举措\t乙的内容。\t国家知识产权局\t全国\n二、金融方面（共1项）\n3\t丙举措\t丙的内容。\t中国证监会\t8个区域\n"
    )
    plan = parse_plan_text(text)
    assert [(t.printed_label, t.title, t.leads, t.group) for t in plan.sections[0].tasks] == [
        ("1", "甲举措", ["最高人民法院", "国家知识产权局"], "一、知识产权方面（共2项）"),
        ("2", "乙举措", ["国家知识产权局"], "一、知识产权方面（共2项）"),
        ("3", "丙举措", ["中国证监会"], "二、金融方面（共1项）"),
    ]
    assert plan.sections[1].tasks == [] and "推广范围：全国" in plan.tasks[0].content
    assert "（一）知识产权方面2项" in plan.sections[0].text
    assert accounted_share(text, plan)[0] == 1.0


def test_a_table_that_is_not_a_task_list_stays_text():
    text = "一、甲\n（一）扩招。内容。\n附：计划表\n国家教委\n一九九六年五月十三日\n省（市）\t1996年\t1997年\n北京\t10\t20\n"
    plan = parse_plan_text(text)
    assert len(plan.tasks) == 1 and "北京\t10\t20" in plan.closing_note


def test_nothing_is_lost_from_a_document_with_every_kind_of_part():
    text = (
        "某市教育局2022年工作要点\n某教发〔2022〕1号\n\n2022\n各学校：\n现将要点印发。\n"
        "一、指导思想\n以思想为指导。\n二、主要任务\n（一）夯实基础。\n1. 加强党建。内容（责任单位：办公室）。\n"
        "2. 深化改革。内容。（牵头单位：基教科，配合单位：各县（市、区））\n三、保障措施：\n各单位要落实。\n"
        "某市教育局\n2022年2月1日\n"
    )
    plan = parse_plan_text(text)
    share, missing = accounted_share(text, plan)
    assert share == 1.0, missing
    assert [t.title for t in plan.tasks] == ["加强党建", "深化改革"]
