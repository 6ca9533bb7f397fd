"""Reading Chinese ordinal numerals (一 … 九百九十九) back from documents."""

from tasks.formats import CHINESE_DIGITS as DIGITS
from tasks.formats import to_chinese


def from_chinese(text):
    """Inverse of `tasks.formats.to_chinese`; raises ValueError on anything else."""
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
