"""Chinese ordinal numerals as printed in bureau documents (一 … 九百九十九)."""

import re

DIGITS = "零一二三四五六七八九"
ASCII_WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")


def whole_number(value):
    """An ASCII whole number of at most 9 digits from user input, else None (never an exception)."""
    text = str(value or "").strip()
    return int(text) if ASCII_WHOLE_NUMBER.fullmatch(text) else None


def to_chinese(number):
    if not 0 < number < 1000:
        raise ValueError(f"{number} is outside 1–999")
    hundreds, rest = divmod(number, 100)
    tens, units = divmod(rest, 10)
    text = ""
    if hundreds:
        text = DIGITS[hundreds] + "百"
        if rest and tens == 0:
            return text + "零" + DIGITS[units]
    if tens:
        # 十一 stands alone; after 百 the one is spoken: 一百一十.
        text += ("" if tens == 1 and not hundreds else DIGITS[tens]) + "十"
    if units:
        text += DIGITS[units]
    return text


def from_chinese(text):
    """Inverse of to_chinese; raises ValueError on anything else."""
    text = text.strip()
    if text and all(ch in DIGITS + "十百" for ch in text):
        for number in _candidates(text):
            if to_chinese(number) == text:
                return number
    raise ValueError(f"not a Chinese numeral: {text!r}")


def _candidates(text):
    # Read the digits naively, then confirm by writing the number back: one rule, two directions.
    hundreds = DIGITS.index(text[0]) if "百" in text else 0
    tail = text.split("百", 1)[1].lstrip("零") if "百" in text else text
    if "十" in tail:
        tens_text, _, units_text = tail.partition("十")
        tens = DIGITS.index(tens_text) if tens_text else 1
        units = DIGITS.index(units_text) if len(units_text) == 1 else (0 if not units_text else -1000)
    else:
        tens, units = 0, DIGITS.index(tail) if len(tail) == 1 else (0 if not tail else -1000)
    number = hundreds * 100 + tens * 10 + units
    return [number] if 0 < number < 1000 else []
