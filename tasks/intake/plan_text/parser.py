"""Structure: title and 文号, preamble, sections (一、), groups and tasks, closing matter.

The levels are the document's own: within a section, numbered items whose items hold finer
numbered items are groups, and the finer items are the tasks; items of one level only are the
tasks. Numbered items under 指导思想 / 基本原则 / 总体要求 / 主要目标 (as a section, or as an item's
heading) are the section's text. A task table (a header with 工作任务 or a synonym) in the text,
an annex's included, supplies the tasks of the section its groups name.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ..task_sheet import TaskSheetError, parse_number, task_sheet_from_rows
from ..units import find_owner_notes, owners_from_notes, split_units
from . import ParsedPlan, ParsedSection, ParsedTask, ParseWarning
from .checks import check_text
from .numbering import SECTION, read_label
from .reading import DOC_NUMBER, closing_marker, is_title_line, read_blocks, table_text

NOT_TASKS = ("指导思想", "基本原则", "总体要求", "主要目标", "发展目标", "工作目标", "总体目标", "总体思路",
             "目标要求", "工作原则", "基本思路")
OPENING_BRACKETS = "（(《“‘「『【"
CLOSING_BRACKETS = "）)》”’」』】"
TRAILING_PUNCTUATION = "：:。；;，,、 "
LONGEST_TITLE = 150


@dataclass
class _Context:
    plan: ParsedPlan
    first_listed_leads: bool = False
    tasks: list = field(default_factory=list)  # (task, heading_only) in document order


def parse_plan_text(text):
    """Parse a published plan; the result is data for a preview, nothing is saved."""
    plan = ParsedPlan()
    blocks = read_blocks(text, plan.warnings)
    start = _read_header(blocks, plan)
    preamble, sections, closing = [], [], []  # sections: [(ParsedSection, [(block, label)])]
    in_closing = False
    for index in range(start, len(blocks)):
        block = blocks[index]
        label = None if block.is_table else read_label(block.text)
        if not in_closing and label is not None and label.style == SECTION:
            if not sections or label.number == sections[-1][0].number + 1:
                sections.append((_section(block, label), []))
                continue
            plan.warnings.append(ParseWarning(
                block.line, _("A section number out of order (%(label)s) was kept as text.") % {"label": label.printed},
                block.text[:40]))
        if sections and not in_closing and closing_marker(blocks, index):
            in_closing = True
        if in_closing:
            closing.append(block)
        elif sections:
            sections[-1][1].append((block, label))
        else:
            preamble.append(block)

    context = _Context(plan)
    # A task table inside a section gives tasks to that section; one in the end matter (an annex)
    # to the section whose numbered items name its groups, whose items are then only summaries.
    own_tables = {id(section): _task_tables(block for block, _label in entries) for section, entries in sections}
    annex_tables = _task_tables(closing)
    annex_section = _section_for_tables(annex_tables, sections)
    tables = annex_tables + [table for found in own_tables.values() for table in found]
    table_blocks = {id(block) for block, _sheet in tables}
    for section, entries in sections:
        body = [(block, label) for block, label in entries if id(block) not in table_blocks]
        if annex_section is section:
            _tasks_from_tables(section, annex_tables, context)
            section.text = _join(block for block, _label in body)
        else:
            _build_section(section, body, context)
            _tasks_from_tables(section, own_tables[id(section)], context)
        plan.sections.append(section)
    closing = _trailing_to_closing(context, sections) + closing
    plan.preamble = _join(preamble)
    plan.closing_note = _join(block for block in closing if id(block) not in table_blocks)
    if annex_tables:
        plan.closing_note = _join_texts([plan.closing_note, *(_table_leftovers(b, sheet) for b, sheet in annex_tables)])
    for section in plan.sections:
        leftovers = [_table_leftovers(b, sheet) for b, sheet in own_tables[id(section)]]
        section.text = _join_texts([section.text, *leftovers])
    plan.first_listed_leads = context.first_listed_leads
    _deduplicate_warnings(plan)
    return plan


def _read_header(blocks, plan):
    """The title lines and the 文号 that open a document; returns where its body starts."""
    titles, index = [], 0
    while index < min(len(blocks), 4):
        block = blocks[index]
        if block.is_table:
            break
        if DOC_NUMBER.match(block.text):
            plan.doc_number = block.text
            index += 1
            break
        if is_title_line(block.text) and read_label(block.text) is None and len(titles) < 3:
            titles.append(block.text)
            index += 1
            continue
        break
    if not plan.doc_number:
        titles = titles[:1]  # without a 文号 only the first line can be taken for the title
        index = len(titles)
    plan.title = "".join(titles)
    return index


def _section(block, label):
    text = block.text[label.end:]
    title, rest = _first_sentence(text) if "。" in text else (text, "")
    trimmed = title.strip().rstrip(TRAILING_PUNCTUATION)
    section = ParsedSection(label.number, trimmed, block.line, stripped=title.strip()[len(trimmed):])
    section.text = rest.strip()
    return section


def _is_not_task(title):
    words = re.split(r"[和与及、，]", title.rstrip(TRAILING_PUNCTUATION))
    return all(word.strip() in NOT_TASKS for word in words if word.strip())


def _build_section(section, entries, context):
    texts = [section.text] if section.text else []
    numbered = [label for _block, label in entries if label is not None]
    if _is_not_task(section.title) or not numbered:
        section.text = _join_texts(texts + [_block_text(block) for block, _label in entries])
        return
    top = min(label.depth for label in numbered)
    finer = sorted({label.depth for label in numbered if label.depth > top})
    child = finer[0] if finer else None
    groups = _group_positions(entries, top, child)
    current_task, group, absorbing = None, "", False
    for position, (block, label) in enumerate(entries):
        if label is not None and label.depth == top:
            heading = block.text[label.end:]
            if position in groups:
                group = block.text.rstrip(TRAILING_PUNCTUATION)
                texts.append(block.text)
                current_task, absorbing = None, False
            elif _is_not_task(_first_sentence(heading)[0]):
                texts.append(block.text)
                current_task, absorbing, group = None, True, ""
            else:
                current_task, absorbing, group = _task(block, label, section, "", context), False, ""
        elif label is not None and label.depth == child and (group or current_task is None) and not absorbing:
            current_task = _task(block, label, section, group, context)
        elif current_task is not None and not absorbing:
            current_task.content = _join_texts([current_task.content, _block_text(block)])
            current_task._appended.append((block, label))
        else:
            texts.append(_block_text(block))
    section.text = _join_texts(texts)


def _group_positions(entries, top, child):
    """Positions of top-level items that hold items of the next level: the groups."""
    if child is None:
        return set()
    groups, current = set(), None
    for position, (_block, label) in enumerate(entries):
        if label is None:
            continue
        if label.depth == top:
            current = position
        elif label.depth == child and current is not None:
            groups.add(current)
    return groups


def _task(block, label, section, group, context):
    body = block.text[label.end:]
    notes = find_owner_notes(body)
    context.first_listed_leads = context.first_listed_leads or any(note.first_listed_leads for note in notes)
    owners = owners_from_notes(notes, first_listed_leads=context.first_listed_leads)
    title, content, stripped = _title_and_content(body, notes, block.line, context.plan)
    full_stop = len(_first_sentence(body)[0]) < len(body)
    number = len(context.tasks) + 1
    task = ParsedTask(
        number=number, label="" if label.number == number else label.printed, title=title, content=content,
        line=block.line, printed_label=label.printed, group=group, leads=owners.leads, cooperating=owners.cooperating,
        full_stop=full_stop, stripped=stripped,
    )
    task._own_content, task._appended = content, []
    check_text(body, block.line, context.plan.warnings)
    section.tasks.append(task)
    # A heading alone on its line (its text follows in the next paragraphs).
    heading_only = not _without_notes(content, find_owner_notes(content))
    context.tasks.append((task, heading_only))
    return task


def _without_notes(text, notes):
    for note in reversed(notes):
        text = text[:note.start] + text[note.end:]
    return text.strip()


def _first_sentence(body):
    """Split at the first 。 outside brackets and quotes."""
    depth = 0
    for index, char in enumerate(body):
        if char in OPENING_BRACKETS:
            depth += 1
        elif char in CLOSING_BRACKETS:
            depth = max(depth - 1, 0)
        elif char == "。" and depth == 0:
            return body[:index], body[index + 1:]
    return body, ""


def _title_and_content(body, notes, line, plan):
    """The title is the first sentence, owner notes taken out of it (they stay in the content)."""
    head, rest = _first_sentence(body)
    in_head = [note for note in notes if note.end <= len(head)]
    untrimmed = _without_notes(head, in_head).strip()
    title = untrimmed.rstrip(TRAILING_PUNCTUATION).strip()
    stripped = untrimmed[len(title):]
    removed = "".join(head[note.start:note.end] for note in in_head)
    content = _join_texts([removed, rest.strip()]) if removed else rest.strip()
    if len(title) > LONGEST_TITLE:
        cut = next((index for index, char in enumerate(title) if char in "；;，," and index >= 10), LONGEST_TITLE)
        plan.warnings.append(ParseWarning(
            line, _("A task's first sentence is very long; its title was cut at the first comma. Check it."),
            title[:40]))
        content = _join_texts([title[cut + 1:], content])
        stripped = title[cut] + stripped
        title = title[:cut]
    return title, content, stripped


def _trailing_to_closing(context, sections):
    """Unnumbered paragraphs after the document's last task close the document, unless its tasks
    are headings followed by their text (then they are the last task's text)."""
    if not sections or not context.tasks or not sections[-1][0].tasks:
        return []
    last = sections[-1][0].tasks[-1]
    heading_only = sum(1 for _task, alone in context.tasks if alone) > len(context.tasks) / 2
    appended = getattr(last, "_appended", [])
    kept = len(appended)
    while kept and appended[kept - 1][1] is None:  # the last run of unnumbered paragraphs
        kept -= 1
    if heading_only or kept == len(appended):
        return []
    last.content = _join_texts([last._own_content, *(_block_text(block) for block, _label in appended[:kept])])
    return [block for block, _label in appended[kept:]]


def _task_tables(blocks):
    """The tables among the blocks that are task tables: [(block, TaskSheet)]."""
    tables = []
    for block in blocks:
        if not block.is_table:
            continue
        try:
            sheet = task_sheet_from_rows(block.rows)
        except TaskSheetError:
            continue
        if any(not row.band for row in sheet.rows):
            tables.append((block, sheet))
    return tables


def _stem(text):
    text = re.sub(r"^[（(]?[一二三四五六七八九十]+[）)、.．]?", "", text)
    return re.sub(r"[（(][^）)]*[）)]|\d+项|方面.*$|[：:。，,].*$", "", text).strip()


def _section_for_tables(tables, sections):
    """The section whose numbered items name the table's groups; else the first with items."""
    if not tables or not sections:
        return None
    stems = {_stem(row.band) for _block, sheet in tables for row in sheet.rows if row.band}
    best, best_score = None, 0
    for section, entries in sections:
        score = sum(1 for block, label in entries if label is not None and _stem(block.text[label.end:]) in stems)
        if score > best_score:
            best, best_score = section, score
    if best is None:
        best = next((section for section, entries in sections if any(label for _b, label in entries)), sections[0][0])
    return best


def _tasks_from_tables(section, tables, context):
    for _block, sheet in tables:
        group = ""
        for row in sheet.rows:
            if row.band:
                group = row.band
                continue
            values = row.values
            printed = str(values.get("number") or "").strip()
            number = len(context.tasks) + 1
            # The owner columns stay in the text as written, like an owner note in a paragraph.
            owner_cells = [(sheet.columns[key], values.get(key)) for key in ("lead_department", "cooperating_departments")
                           if values.get(key)]
            extra = [f"{header}：{value}" for header, value in [*owner_cells, *row.extra.items()]]
            content = _join_texts([str(values.get("content") or ""), *extra])
            task = ParsedTask(
                number=number, label="" if parse_number(printed) == number else printed,
                title=str(values.get("title") or "").strip(), content=content, line=row.line,
                printed_label=printed, group=group,
                leads=split_units(values.get("lead_department")),
                cooperating=split_units(values.get("cooperating_departments")),
                deadline_text=str(values.get("deadline") or "").strip(),
            )
            section.tasks.append(task)
            context.tasks.append((task, False))


def _table_leftovers(block, sheet):
    """The rows of a task table that are not tasks: its header and its group rows."""
    used = {row.line for row in sheet.rows if not row.band}
    return "\n".join("\t".join(cells) for line, cells in block.rows if line not in used)


def _block_text(block):
    return table_text(block) if block.is_table else block.text


def _join(blocks):
    return "\n".join(_block_text(block) for block in blocks)


def _join_texts(texts):
    return "\n".join(text for text in texts if text)


def _deduplicate_warnings(plan):
    # A fault repeated in one paragraph (title and content) is one thing to fix.
    unique = {}
    for warning in plan.warnings:
        unique.setdefault((warning.line, warning.message, warning.original), warning)
    plan.warnings = list(unique.values())
