"""The monthly ledger (月报台账) as a file."""

import tempfile

from tasks.formats import chinese_date, month_end

from .. import exporters, selectors


def monthly_ledger_file(*, plan, month, on=None, departments=None, section_number=None, unit=""):
    """Build the month's ledger into a temporary file (rewound) and return it with a file name."""
    on = on or month_end(month)
    rows = selectors.monthly_ledger(
        plan=plan, month=month, on=on, section_number=section_number, departments=departments
    )
    handle = tempfile.TemporaryFile()
    exporters.write_monthly_ledger(
        handle,
        rows=rows,
        title=exporters.ledger_title(plan, month),
        unit=unit or plan.issuing_body,
        as_of_text=chinese_date(on),
    )
    handle.seek(0)
    name = f"{plan.title}落实情况月报-{month:%Y-%m}.xlsx"
    return handle, name
