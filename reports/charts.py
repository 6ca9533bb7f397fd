"""Charts drawn by the server as SVG geometry: no JavaScript, printable, and each has a table too."""

from dataclasses import dataclass

TREND_WIDTH, TREND_HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 16, 36


@dataclass
class Bar:
    light: str
    count: int
    x: float
    width: float


def stacked_bar(tally):
    """Segments of one 100-wide bar, in display order."""
    bars, x = [], 0.0
    for light, count, share in tally.segments():
        bars.append(Bar(light, count, round(x, 3), round(share, 3)))
        x += share
    return bars


@dataclass
class TrendChart:
    width: int
    height: int
    line: str
    dots: list
    bars: list
    y_ticks: list
    x_labels: list
    baseline: float


def trend_chart(points, *, total_tasks):
    """Average progress (line, 0–100 %) and tasks done (bars, 0–all tasks) per month."""
    plot_width = TREND_WIDTH - LEFT - RIGHT
    plot_height = TREND_HEIGHT - TOP - BOTTOM
    slot = plot_width / 12
    baseline = TOP + plot_height

    def y_for(percent):
        return round(baseline - plot_height * percent / 100, 1)

    dots, bars, labels = [], [], []
    for index, point in enumerate(points):
        x = round(LEFT + slot * (point.month.month - 1) + slot / 2, 1)
        dots.append({"x": x, "y": y_for(point.average_progress), "value": point.average_progress})
        share = 100 * point.done / total_tasks if total_tasks else 0
        bars.append({"x": round(x - slot * 0.3, 1), "y": y_for(share), "width": round(slot * 0.6, 1),
                     "height": round(baseline - y_for(share), 1), "value": point.done})
    for month in range(1, 13):
        labels.append({"x": round(LEFT + slot * (month - 1) + slot / 2, 1), "text": f"{month}月"})
    return TrendChart(
        width=TREND_WIDTH,
        height=TREND_HEIGHT,
        line=" ".join(f"{dot['x']},{dot['y']}" for dot in dots),
        dots=dots,
        bars=bars,
        y_ticks=[{"y": y_for(p), "label": f"{p}%"} for p in (0, 25, 50, 75, 100)],
        x_labels=labels,
        baseline=baseline,
    )
