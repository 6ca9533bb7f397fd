"""INSERT … SELECT for writes that copy rows the database already has.

An import of thousands of tasks must write a history record, a cooperating-department snapshot
and object permissions for each. Built as model instances in Python, those rows took longer than
everything else in the import together; the ORM has no INSERT … SELECT, so these few statements
are written here once, portable between SQLite and PostgreSQL, with table and column names taken
from the models.
"""

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
