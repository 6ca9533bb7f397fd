"""Deadlines as bureaus write them (完成时限), turned into dates; the words are always kept beside.

`parse_deadline("6月底", plan_year=2021)` → date(2021, 6, 30). Text that means "no deadline"
(持续推进, 长期, 常态化) gives None. Anything else raises DeadlineError with a message for the user.
"""

import datetime
import re
import unicodedata

from django.utils.translation import gettext as _

from tasks.formats import month_end

from .numerals import from_chinese

NO_DEADLINE = ("持续推进", "长期", "常态化", "长期坚持", "持续")
HALF_YEAR = ("上半年", "年中")
YEAR_END = ("下半年", "年底", "年底前", "全年", "年内", "12月底前")
QUARTER = re.compile(r"^(?:第)?([一二三四1-4])季度(?:末|底)?$")
FULL_DATE = re.compile(r"^(\d{4})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*日?(?:前)?$")
MONTH_END = re.compile(r"^(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月(?:底|末|份|中旬|上旬|下旬)?(?:前)?$")
YEAR_MONTH = re.compile(r"^(\d{4})\s*[./\-]\s*(\d{1,2})$")


class DeadlineError(ValueError):
    pass


def _month_end(year, month):
    return month_end(datetime.date(year, month, 1))


def parse_deadline(value, *, plan_year):
    """Return (date or None, the text as written)."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value, value.isoformat()
    text = str(value or "").strip()
    compact = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    if not compact:
        return None, ""
    if compact in NO_DEADLINE:
        return None, text
    if compact in HALF_YEAR or compact in ("上半年底", "6月底前"):
        return datetime.date(plan_year, 6, 30), text
    if compact in YEAR_END:
        return datetime.date(plan_year, 12, 31), text
    match = QUARTER.match(compact)
    if match:
        quarter = int(match.group(1)) if match.group(1).isdigit() else from_chinese(match.group(1))
        return _month_end(plan_year, quarter * 3), text
    try:
        match = FULL_DATE.match(compact)
        if match:
            return datetime.date(*(int(part) for part in match.groups())), text
        match = MONTH_END.match(compact) or YEAR_MONTH.match(compact)
        if match:
            year = int(match.group(1)) if match.group(1) else plan_year
            return _month_end(year, int(match.group(2))), text
    except ValueError:
        raise DeadlineError(_("“%(text)s” is not a real date.") % {"text": text})
    raise DeadlineError(
        _("“%(text)s” is not a deadline the portal understands (e.g. 2021年6月30日, 6月底, 上半年, 全年, 持续推进).")
        % {"text": text}
    )
