import datetime

import pytest

from tasks.intake.deadlines import DeadlineError, parse_deadline

D = datetime.date


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2022年6月30日", D(2022, 6, 30)),
        ("2022.6.30", D(2022, 6, 30)),
        ("2022-06-30", D(2022, 6, 30)),
        ("２０２２年６月３０日", D(2022, 6, 30)),
        ("2022年6月底", D(2022, 6, 30)),
        ("6月底", D(2021, 6, 30)),
        ("9月", D(2021, 9, 30)),
        ("2月底", D(2021, 2, 28)),
        ("上半年", D(2021, 6, 30)),
        ("年中", D(2021, 6, 30)),
        ("下半年", D(2021, 12, 31)),
        ("年底", D(2021, 12, 31)),
        ("年底前", D(2021, 12, 31)),
        ("全年", D(2021, 12, 31)),
        ("第三季度", D(2021, 9, 30)),
        ("三季度", D(2021, 9, 30)),
        ("第1季度", D(2021, 3, 31)),
        ("持续推进", None),
        ("长期", None),
        ("常态化", None),
        ("", None),
        ("2022年下半年", D(2022, 12, 31)),
        ("2022年上半年", D(2022, 6, 30)),
        ("2022年底前", D(2022, 12, 31)),
        ("2022年", D(2022, 12, 31)),
        ("2022年6月底前", D(2022, 6, 30)),
        ("9月中旬", D(2021, 9, 20)),
        ("9月上旬", D(2021, 9, 10)),
        ("9月下旬", D(2021, 9, 30)),
        ("2022年第三季度", D(2022, 9, 30)),
        ("年内", D(2021, 12, 31)),
        ("2022—2023年", D(2023, 12, 31)),
        ("2022-2023年", D(2023, 12, 31)),
        ("每季度", None),
        ("每月", None),
        ("每学期开学前", None),
        ("长期坚持", None),
    ],
)
def test_written_deadlines(text, expected):
    date, written = parse_deadline(text, plan_year=2021)
    assert date == expected
    assert written == text.strip() or text.startswith("２")


def test_excel_dates_pass_through():
    assert parse_deadline(datetime.datetime(2021, 7, 1, 0, 0), plan_year=2021) == (D(2021, 7, 1), "2021-07-01")


@pytest.mark.parametrize("text", ["2021年2月30日", "13月底", "尽快", "下周", "2021/13/01"])
def test_anything_else_is_an_error_never_a_silent_blank(text):
    with pytest.raises(DeadlineError):
        parse_deadline(text, plan_year=2021)
