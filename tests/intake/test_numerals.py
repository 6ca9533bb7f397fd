import pytest

from tasks.formats import to_chinese
from tasks.intake.numerals import from_chinese


@pytest.mark.parametrize(
    "number, text",
    [(1, "一"), (7, "七"), (10, "十"), (11, "十一"), (20, "二十"), (35, "三十五"), (99, "九十九"),
     (100, "一百"), (101, "一百零一"), (110, "一百一十"), (115, "一百一十五"), (999, "九百九十九")],
)
def test_round_trip(number, text):
    assert to_chinese(number) == text
    assert from_chinese(text) == number


@pytest.mark.parametrize("text", ["", "零", "一一", "十十", "百", "a", "一百十", "二零"])
def test_rejects_what_is_not_a_numeral(text):
    with pytest.raises(ValueError):
        from_chinese(text)


def test_every_number_round_trips():
    assert all(from_chinese(to_chinese(n)) == n for n in range(1, 1000))
