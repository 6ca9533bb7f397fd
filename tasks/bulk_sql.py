"""INSERT … SELECT for writes that copy rows the database already has.

An import of thousands of tasks must write a history record, a cooperating-department snapshot
and object permissions for each. Built as model instances in Python, those rows took longer than
everything else in the import together; the ORM has no INSERT … SELECT, so these few statements
are written here once, portable between SQLite and PostgreSQL, with table and column names taken
from the models.
"""

import io

from django.db import connection


def chunks(items, size=5000):
    """Slices small enough for any database's limit on query parameters."""
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]


def quote(name):
    return connection.ops.quote_name(name)


def table(model):
    return quote(model._meta.db_table)


def column(model, field_name):
    return quote(model._meta.get_field(field_name).column)


def placeholders(values):
    return ", ".join(["%s"] * len(values))


def insert_select(model, field_names, select_sql, params):
    """INSERT INTO model's table (its columns for `field_names`) the rows of `select_sql`."""
    columns = ", ".join(column(model, name) for name in field_names)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table(model)} ({columns}) {select_sql}", params)
        return cursor.rowcount


def datetime_param(value):
    """An aware datetime as the database backend stores it, for use in raw SQL."""
    return connection.ops.adapt_datetimefield_value(value)


def insert_rows(model, field_names, rows):
    """INSERT plain rows (tuples of database values in `field_names` order): PostgreSQL's COPY,
    which takes tens of thousands of rows in one stream without a model instance or a bound
    parameter per value; elsewhere executemany."""
    rows = list(rows)
    if not rows:
        return
    columns = ", ".join(column(model, name) for name in field_names)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            stream = io.StringIO("".join("\t".join(map(_copy_text, row)) + "\n" for row in rows))
            cursor.copy_expert(f"COPY {table(model)} ({columns}) FROM STDIN", stream)
        else:
            for chunk in chunks(rows, 500):
                cursor.executemany(f"INSERT INTO {table(model)} ({columns}) VALUES ({placeholders(field_names)})",
                                   chunk)


def new_ids(model, count):
    """`count` ids from the table's own sequence (PostgreSQL), for rows COPY will insert."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                       [model._meta.db_table, model._meta.pk.column, count])
        return [row[0] for row in cursor.fetchall()]


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value):
    """A value in COPY's text format."""
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).translate(_COPY_ESCAPES)
