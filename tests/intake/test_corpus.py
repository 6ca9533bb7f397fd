"""The parser on real published documents with hand-checked results (../shared/corpus/plans).

The corpus sits beside the repository for developers and CI, not in it; a newcomer's clone has no
such folder and these tests skip, saying so. The rules they measure are each covered by the
pattern tests in test_plan_text_levels.py, which need no corpus.
"""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from tasks.intake.corpus import compare, corpus_results

CORPUS = Path(settings.BASE_DIR).parent / "shared" / "corpus" / "plans"
needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(), reason=f"the published-document corpus is not beside this clone ({CORPUS})"
)


@needs_corpus
def test_at_least_95_percent_of_the_corpus_tasks_exactly_right_owners_included():
    results = corpus_results(CORPUS)
    assert len(results) >= 8
    exact = sum(r.tasks_exact for r in results)
    expected = sum(r.tasks_expected for r in results)
    assert exact / expected >= 0.95, "\n".join(m for r in results for m in r.mismatches)
    for result in results:
        assert result.sections_exact == result.sections_expected, result.name
        assert result.header_exact and result.frame_exact, result.name


@needs_corpus
def test_every_character_of_every_document_is_accounted_for():
    for result in corpus_results(CORPUS):
        assert result.characters == 1.0, result.name


@needs_corpus
def test_a_word_document_reads_like_its_text(tmp_path):
    """The same document as .docx (paragraphs, and its table as a Word table) parses the same."""
    from docx import Document

    source = next(CORPUS.glob("03-*.txt"))
    document = Document()
    rows = []

    def flush():
        if rows:
            width = max(len(cells) for cells in rows)
            table = document.add_table(rows=0, cols=width)
            for cells in rows:
                row = table.add_row().cells
                if len(cells) == 1:
                    row[0].merge(row[width - 1]).text = cells[0]  # a group row spans the table
                else:
                    for cell, text in zip(row, cells):
                        cell.text = text
            rows.clear()

    lines = source.read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        ahead = lines[index + 1:index + 4]
        if "\t" in line or (rows and line.strip() and len(line) <= 60 and any("\t" in a for a in ahead)):
            rows.append(line.split("\t"))
        else:
            flush()
            document.add_paragraph(line)
    flush()
    path = tmp_path / "03.docx"
    document.save(path)
    import json

    expected = json.loads(source.with_name(source.stem + ".expected.json").read_text(encoding="utf-8"))
    from_text, from_word = compare(source, expected), compare(path, expected)
    assert from_word.tasks_exact == from_text.tasks_exact == from_text.tasks_expected


@needs_corpus
def test_the_report_command_prints_the_table():
    out = io.StringIO()
    call_command("intake_report", str(CORPUS), stdout=out)
    assert re.search(r"tasks exactly right, owners included: \d+/\d+ = (9[5-9]|100)\.\d%", out.getvalue())
