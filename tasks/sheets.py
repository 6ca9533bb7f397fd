"""What every spreadsheet the portal writes shares: one column specification per sheet, a workbook
that never turns text into a formula (CSV text is kept inert by `siping_edu.spreadsheets`).

A sheet is a list of `Column`s; its writer, its tests and (for the task list) the import template
all read the same list, so adding a column is one line and never a shifted index.
"""

from dataclasses import dataclass
from typing import Callable

import xlsxwriter



@dataclass(frozen=True)
class Column:
    header: str
    width: int
    value: Callable  # row -> the cell's value
    style: str | Callable = "cell"  # a format name, or row -> a format name
    key: str = ""  # the field a column stands for, where the sheet is read back (the task list)

    def style_for(self, row):
        return self.style(row) if callable(self.style) else self.style


def headers(columns):
    return [column.header for column in columns]


def widths(columns):
    return [column.width for column in columns]


def open_workbook(target, *, constant_memory=True):
    """An XlsxWriter workbook with every automatic conversion off: text stays text, so a cell
    starting with = + - @ is never a formula. constant_memory keeps one row in memory at a time."""
    return xlsxwriter.Workbook(
        target,
        {
            "constant_memory": constant_memory,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "in_memory": False,
        },
    )


def set_widths(sheet, columns):
    for index, column in enumerate(columns):
        sheet.set_column(index, index, column.width)

