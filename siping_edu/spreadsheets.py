"""Text bound for a spreadsheet or CSV that no spreadsheet program will run as a formula; shared
by every export of the portal (the work plan's and the audit log's)."""

# A cell starting with one of these is a formula to a spreadsheet program opening a CSV file;
# some read the full-width forms (＝＋－＠) as formula signs too.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def inert_csv_text(value):
    """CSV has no text type: a leading apostrophe (OWASP's advice) keeps "=…" from being run."""
    text = str(value if value is not None else "")
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text
