"""Plain values the whole portal shares: plan years, month ends, Chinese numerals and dates, and
whole numbers typed into URLs. Every page, export, rule and parser uses these, never its own copy."""

import calendar
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PLAN_YEARS = (2000, 2100)
CHINESE_DIGITS = "零一二三四五六七八九"
ASCII_WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")


def validate_plan_year(year):
    """The model field's validator and every importer's check: one range, one message."""
    if not isinstance(year, int) or not PLAN_YEARS[0] <= year <= PLAN_YEARS[1]:
        raise ValidationError(
            _("The plan year must be between %(first)d and %(last)d.")
            % {"first": PLAN_YEARS[0], "last": PLAN_YEARS[1]},
            code="plan_year",
        )


def month_end(day):
    """The last day of the month of `day`."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def whole_number(value):
    """An ASCII whole number of at most 9 digits from user input, else None (never an exception)."""
    text = str(value or "").strip()
    return int(text) if ASCII_WHOLE_NUMBER.fullmatch(text) else None


def to_chinese(number):
    """1 → 一, 11 → 十一, 110 → 一百一十: ordinals as printed in bureau documents (1–999)."""
    if not 0 < number < 1000:
        raise ValueError(f"{number} is outside 1–999")
    hundreds, rest = divmod(number, 100)
    tens, units = divmod(rest, 10)
    text = ""
    if hundreds:
        text = CHINESE_DIGITS[hundreds] + "百"
        if rest and tens == 0:
            return text + "零" + CHINESE_DIGITS[units]
    if tens:
        # 十一 stands alone; after 百 the one is spoken: 一百一十.
        text += ("" if tens == 1 and not hundreds else CHINESE_DIGITS[tens]) + "十"
    if units:
        text += CHINESE_DIGITS[units]
    return text


def chinese_date(day):
    """2021年6月30日"""
    return f"{day.year}年{day.month}月{day.day}日"


def chinese_month(month):
    """2021年6月"""
    return f"{month.year}年{month.month}月"
