"""How the plan parser does on published documents with hand-checked expected results.

A corpus folder holds `NAME.txt` (or `.docx`) documents, each with `NAME.expected.json`: title,
文号, sections with their tasks (label, title, lead, cooperating), whether there is a preamble and
a closing. `python manage.py intake_report DIR` prints the table; the test suite runs the same
comparison on the shared corpus.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from .plan_text import accounted_share, parse_plan_text
from .plan_text.reading import is_date_line
from .word import docx_text


@dataclass
class DocumentResult:
    name: str
    sections_expected: int
    sections_parsed: int
    sections_exact: int
    tasks_expected: int
    tasks_parsed: int
    titles_exact: int
    tasks_exact: int  # section, label, title, lead and cooperating units all as expected
    characters: float  # share of the document's characters the plan keeps
    header_exact: bool  # title and 文号
    frame_exact: bool  # a preamble where expected; a signature and date where expected
    mismatches: list = field(default_factory=list)


def document_text(path):
    path = Path(path)
    return docx_text(path.read_bytes()) if path.suffix == ".docx" else path.read_text(encoding="utf-8")


def compare(path, expected):
    text = document_text(path)
    plan = parse_plan_text(text)
    share, _missing = accounted_share(text, plan)
    wanted = [(section["number"], task) for section in expected["sections"] for task in section["tasks"]]
    parsed = [(section.number, task) for section in plan.sections for task in section.tasks]
    titles = exact = 0
    mismatches = []
    for index, (number, task) in enumerate(wanted):
        if index >= len(parsed):
            mismatches.append(f"{task['label']} {task['title'][:20]}: missing")
            continue
        got_number, got = parsed[index]
        titles += got.title == task["title"]
        same = (got_number == number and got.printed_label == task["label"] and got.title == task["title"]
                and got.leads == task["lead"] and got.cooperating == task["cooperating"])
        exact += same
        if not same:
            mismatches.append(f"{task['label']} {task['title'][:20]}: got {got_number} {got.printed_label} "
                              f"{got.title[:20]} {got.leads} {got.cooperating}")
    signed = any(is_date_line(line.strip()) for line in f"{plan.preamble}\n{plan.closing_note}".splitlines())
    sections = [(s.number, s.title) for s in plan.sections]
    expected_sections = [(s["number"], s["title"]) for s in expected["sections"]]
    return DocumentResult(
        name=Path(path).stem, sections_expected=len(expected_sections), sections_parsed=len(sections),
        sections_exact=sum(1 for pair in expected_sections if pair in sections),
        tasks_expected=len(wanted), tasks_parsed=len(parsed), titles_exact=titles, tasks_exact=exact,
        characters=share, header_exact=(plan.title, plan.doc_number) == (expected["title"], expected["doc_number"]),
        frame_exact=(bool(plan.preamble), signed) == (expected["preamble"], expected["closing"]),
        mismatches=mismatches,
    )


def corpus_results(folder):
    results = []
    for expected_path in sorted(Path(folder).glob("*.expected.json")):
        stem = expected_path.name[: -len(".expected.json")]
        document = next((p for p in (expected_path.with_name(stem + ".txt"), expected_path.with_name(stem + ".docx"))
                         if p.exists()), None)
        if document is not None:
            results.append(compare(document, json.loads(expected_path.read_text(encoding="utf-8"))))
    return results


def table(results):
    lines = [f"{'document':<40} {'sections':>9} {'tasks':>9} {'titles':>7} {'exact':>7} {'chars':>8}  header frame"]
    for r in results:
        lines.append(f"{r.name[:40]:<40} {r.sections_exact:>4}/{r.sections_expected:<4} {r.tasks_parsed:>4}/{r.tasks_expected:<4}"
                     f" {r.titles_exact:>7} {r.tasks_exact:>7} {r.characters:>8.2%}  {'ok' if r.header_exact else 'DIFF':<6} "
                     f"{'ok' if r.frame_exact else 'DIFF'}")
    expected = sum(r.tasks_expected for r in results)
    exact = sum(r.tasks_exact for r in results)
    titles = sum(r.titles_exact for r in results)
    lines.append(f"{'total':<40} {'':>9} {sum(r.tasks_parsed for r in results):>4}/{expected:<4} {titles:>7} {exact:>7} "
                 f"{min((r.characters for r in results), default=1):>8.2%}  (min)")
    lines.append(f"tasks exactly right, owners included: {exact}/{expected} = {exact / expected:.1%}" if expected else "no tasks")
    return "\n".join(lines)
