"""Trigram indexes for the search box (tasks.search), on PostgreSQL only.

`icontains` compares UPPER(column) LIKE UPPER(pattern), so each index is on UPPER(column) with
gin_trgm_ops; on SQLite the search is a plain scan and nothing is created.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

SEARCHED = {
    "tasks_task": ("title", "content", "group", "owner_text", "responsible_person"),
    "tasks_progressreport": ("progress", "problems", "next_steps"),
    "tasks_instruction": ("text",),
}


def _indexes():
    for table, columns in SEARCHED.items():
        for column in columns:
            yield f"{table}_{column}_trgm", table, column


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, column in _indexes():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin (UPPER("{column}") gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in _indexes():
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("tasks", "0012_report_reading")]

    operations = [TrigramExtension(), migrations.RunPython(create, drop)]
