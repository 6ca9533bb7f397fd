"""Chinese ordinal numerals as printed in bureau documents (一 … 九十九)."""

DIGITS = "零一二三四五六七八九"


def to_chinese(number):
    if not 0 < number < 100:
        raise ValueError(f"{number} is outside 1–99")
    tens, units = divmod(number, 10)
    if tens == 0:
        return DIGITS[units]
    prefix = "" if tens == 1 else DIGITS[tens]
    return f"{prefix}十{DIGITS[units] if units else ''}"


def from_chinese(text):
    """Inverse of to_chinese; raises ValueError on anything else."""
    text = text.strip()
    if not text or any(ch not in DIGITS[1:] + "十" for ch in text):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    if "十" not in text:
        if len(text) != 1:
            raise ValueError(f"not a Chinese numeral: {text!r}")
        return DIGITS.index(text)
    tens_text, _, units_text = text.partition("十")
    if len(tens_text) > 1 or len(units_text) > 1:
        raise ValueError(f"not a Chinese numeral: {text!r}")
    tens = DIGITS.index(tens_text) if tens_text else 1
    units = DIGITS.index(units_text) if units_text else 0
    return tens * 10 + units
