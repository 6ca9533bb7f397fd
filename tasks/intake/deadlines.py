"""Deadlines as bureaus write them (完成时限), turned into dates; the words are always kept beside.

`parse_deadline("6月底", plan_year=2021)` → date(2021, 6, 30). Text that means "no deadline"
(持续推进, 长期, 常态化, 每季度) gives None. Anything else raises DeadlineError with a message for the
user; importers keep such text, leave the date empty and warn, rather than refuse the file.
"""

import datetime
import re
import unicodedata

from django.utils.translation import gettext as _

from tasks.formats import month_end

from .numerals import from_chinese

NO_DEADLINE = ("持续推进", "长期", "常态化", "长期坚持", "持续", "长期推进", "常态推进", "持续开展")
# Recurring work has no single deadline: the text says when it recurs.
RECURRING = re.compile(r"^(?:每(?:年|季度?|月|周|学期)|按季度?|按月|按年)(?:.{0,12})$")
YEAR = r"(?:(?P<year>\d{4})年)?"
HALF_YEAR = re.compile(rf"^{YEAR}(?:上半年|年中)(?:底|末)?(?:前)?$")
YEAR_END = re.compile(rf"^{YEAR}(?:下半年|年底|年末|年内|全年|年度内|本年度|12月底)(?:前)?$")
BARE_YEAR = re.compile(r"^(?P<year>\d{4})年(?:底|末|内)?(?:前)?$")
YEAR_RANGE = re.compile(r"^(?P<first>\d{4})年?[-—–~～至到](?P<last>\d{4})年(?:底|末)?(?:前)?$")
QUARTER = re.compile(rf"^{YEAR}(?:第)?(?P<quarter>[一二三四1-4])季度(?:末|底)?(?:前)?$")
FULL_DATE = re.compile(r"^(\d{4})\s*[年./\-]\s*(\d{1,2})\s*[月./\-]\s*(\d{1,2})\s*日?(?:前)?$")
MONTH = re.compile(rf"^{YEAR}(?P<month>\d{{1,2}})月(?P<part>底|末|份|上旬|中旬|下旬)?(?:前)?$")
YEAR_MONTH = re.compile(r"^(?P<year>\d{4})[./\-](?P<month>\d{1,2})$")
TEN_DAYS = {"上旬": 10, "中旬": 20}


class DeadlineError(ValueError):
    pass


def _month_end(year, month):
    return month_end(datetime.date(year, month, 1))


def _year(match, plan_year):
    return int(match.group("year")) if match.group("year") else plan_year


def parse_deadline(value, *, plan_year):
    """Return (date or None, the text as written); raise DeadlineError for text it cannot read.

    Phrases as bureaus write them, with or without a year: 2022年6月30日, 6月底, 2022年6月底前,
    9月中旬, 上半年, 2022年下半年, 年底前, 年内, 全年, 第三季度, 2022—2023年; 持续推进, 长期坚持 and
    recurring work (每季度, 每月) have no date.
    """
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value, value.isoformat()
    text = str(value or "").strip()
    compact = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).rstrip("。，,；;")
    if not compact:
        return None, ""
    if compact in NO_DEADLINE or RECURRING.match(compact):
        return None, text
    try:
        date = _date_of(compact, plan_year)
    except ValueError:
        raise DeadlineError(_("“%(text)s” is not a real date.") % {"text": text})
    if date is None:
        raise DeadlineError(
            _("“%(text)s” is not a deadline the portal understands (e.g. 2021年6月30日, 6月底, 上半年, 全年, 持续推进).")
            % {"text": text}
        )
    return date, text


def _date_of(compact, plan_year):
    if match := HALF_YEAR.match(compact):
        return datetime.date(_year(match, plan_year), 6, 30)
    if match := YEAR_END.match(compact):
        return datetime.date(_year(match, plan_year), 12, 31)
    if match := BARE_YEAR.match(compact):
        return datetime.date(int(match.group("year")), 12, 31)
    if match := YEAR_RANGE.match(compact):
        return datetime.date(int(match.group("last")), 12, 31)
    if match := QUARTER.match(compact):
        quarter = match.group("quarter")
        quarter = int(quarter) if quarter.isdigit() else from_chinese(quarter)
        return _month_end(_year(match, plan_year), quarter * 3)
    if match := FULL_DATE.match(compact):
        return datetime.date(*(int(part) for part in match.groups()))
    if match := MONTH.match(compact):
        year, month = _year(match, plan_year), int(match.group("month"))
        if match.group("part") in TEN_DAYS:
            return datetime.date(year, month, TEN_DAYS[match.group("part")])
        return _month_end(year, month)
    if match := YEAR_MONTH.match(compact):
        return _month_end(int(match.group("year")), int(match.group("month")))
    return None
