"""A scoring bulletin's figures (考核通报): the ranking of a month or of the year, the commended
and named units, and each unit's remarks, worked out by `reports.scoring` with the same `on`
as the ranking page, so that a unit can trace every figure there line by line."""

import datetime
from collections import Counter
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tasks.formats import chinese_date, chinese_month, month_end

from ..models import ScoreBulletin
from ..scoring import plan_months, rules_by_month, unit_scores

# How a unit's lines are counted in its remarks: (event, words before the count, unit word).
REMARK_COUNTS = [
    ("on_time_report", "按时报送月报", "次"), ("late_report", "逾期报送", "次"), ("missing_report", "未报送", "次"),
    ("returned_report", "被退回", "次"), ("milestone_on_time", "按期完成时间节点", "个"),
    ("completed_on_time", "按期完成任务", "项"), ("supervision_notice", "收到督办通知", "次"),
]


def bulletin_period(plan, month, today):
    """(months scored, as-of date): one month as of its end, or the year's months as of its end,
    never later than `today` — the ranking page's `month` and `period=year` filters."""
    if month == ScoreBulletin.WHOLE_YEAR:
        on = min(datetime.date(plan.year, 12, 31), today)
        return plan_months(plan, on=on), on
    first = datetime.date(plan.year, month, 1)
    return [first], min(month_end(first), today)


def bulletin_figures(*, plan, month, today):
    """Plain values (JSON) for the files and the record; `_lines` (every score line) is for the
    spreadsheet only and is not stored with the record."""
    months, on = bulletin_period(plan, month, today)
    with translation.override(settings.LANGUAGE_CODE):
        scores = unit_scores(plan, months=months, on=on)
        rules = rules_by_month(plan, months)
        units = [_unit(score) for score in scores]
        lines = [[score.department.name, chinese_month(line.month), str(line.label),
                  line.task.number if line.task else "", line.task.title if line.task else "", line.detail,
                  _points(line.points), line.rules_version]
                 for score in scores for line in score.lines]
    whole_year = month == ScoreBulletin.WHOLE_YEAR
    last_rules = rules[months[-1]] if months else None
    query = f"year={plan.year}&month={on.month}" + ("&period=year" if whole_year else "")
    return {
        "plan": plan.title, "issuing_body": plan.issuing_body, "year": plan.year, "month": month,
        "period": f"{plan.year}年度" if whole_year else chinese_month(months[0]),
        "as_of": chinese_date(on), "generated_on": chinese_date(today),
        "rules_versions": sorted({rules[m].version for m in months}),
        "yellow_at": _points(last_rules.yellow_card_deductions) if last_rules else "",
        "red_at": _points(last_rules.red_card_deductions) if last_rules else "",
        "units": units,
        "commended": [unit["name"] for unit in units if unit["rank"] <= settings.BULLETIN_COMMENDED_RANKS
                      and Decimal(unit["total"]) > 0 and not unit["red_cards"] and not unit["yellow_cards"]],
        "named": sorted(([unit["name"], unit["cards"], unit["deducted"]] for unit in units if unit["cards"]),
                        key=lambda named: ("红牌" not in named[1], -Decimal(named[2]))),
        "trace_path": f"{reverse('reports:scores')}?{query}",
        "_lines": lines,
    }


def _unit(score):
    counts = Counter(line.event for line in score.lines)
    parts = [f"{words}{counts[event]}{unit}" for event, words, unit in REMARK_COUNTS if counts[event]]
    grades = Counter(line.detail for line in score.lines if line.event == "quality")
    if grades:
        parts.append("质量评定" + "、".join(f"{grade}{count}次" for grade, count in sorted(grades.items(), key=_grade_order)))
    adjustments = [line for line in score.lines if line.event == "adjustment"]
    if adjustments:
        parts.append("领导调整" + "、".join(f"{_points(line.points, sign=True)}分（{line.detail}）" for line in adjustments))
    cards = "、".join(f"{chinese_month(month)}{'红牌' if card == 'red' else '黄牌'}"
                     for month, card in sorted(score.cards.items()))
    return {
        "rank": score.rank, "name": score.department.name, "total": _points(score.total),
        "gained": _points(sum((line.points for line in score.lines if line.points > 0), Decimal(0))),
        "deducted": _points(score.deducted), "red_cards": score.red_cards, "yellow_cards": score.yellow_cards,
        "cards": cards, "remarks": "；".join(parts) + "。" if parts else "本期无计分事项。",
    }


def _grade_order(item):
    return "优良中差".find(item[0][:1]) if item[0][:1] in "优良中差" else 9


def _points(value, *, sign=False):
    value = Decimal(value).quantize(Decimal("0.1"))
    return f"{value:+}" if sign else f"{value}"



