"""The coverage chart: articles per day, week, month or year over the matches, as
SVG bars drawn on the server (clickable without JavaScript).

Steps: the counts come per WIB day (search's day facet); `choose_interval` takes
the interval asked for, or the finest whose bars over the matches' span stay
under MAX_BARS; `aggregate` sums the days into it; `buckets` fills the empty days,
weeks, months or years between the first and last match with zeros (a coverage
chart is a time axis); `layout` turns the counts into bar rectangles and a few
axis labels, each bar carrying the query narrowed to its window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from carinews.web import refine

INTERVALS = ("day", "week", "month", "year")
MAX_BARS = 120          # automatic choice
MAX_BARS_ASKED = 400    # an interval asked for that would draw more falls back to a coarser one
WIDTH, HEIGHT, TOP, AXIS = 360, 150, 8, 18
MAX_BAR_WIDTH = 36
LABEL_ROOM = 32        # half the width of a YYYY-MM-DD label


@dataclass
class Bar:
    label: str
    count: int
    x: float
    y: float
    width: float
    height: float
    clause: str


def aggregate(interval: str, days: list[list]) -> list[list]:
    """Counts per WIB day ([["2022-03-14", n], ...], sorted) -> counts per `interval`."""
    totals: dict[str, int] = {}
    for day, count in days:
        key = _bucket_of(interval, day)
        totals[key] = totals.get(key, 0) + count
    return sorted([k, v] for k, v in totals.items())


def _bucket_of(interval: str, day: str) -> str:
    if interval == "week":
        d = date.fromisoformat(day)
        return (d - timedelta(days=d.weekday())).isoformat()
    return {"day": day, "month": day[:7], "year": day[:4]}[interval]


def _bar_count(interval: str, days: list[list]) -> int:
    first, last = date.fromisoformat(days[0][0]), date.fromisoformat(days[-1][0])
    span = (last - first).days + 1
    return {"day": span, "week": span // 7 + 2, "month": span // 28 + 2,
            "year": last.year - first.year + 1}[interval]


def choose_interval(days: list[list], asked: str | None) -> str:
    """`asked` unless it would draw more than MAX_BARS_ASKED bars (then the next coarser),
    else the finest interval with at most MAX_BARS bars."""
    if not days:
        return asked if asked in INTERVALS else "month"
    if asked in INTERVALS:
        for interval in INTERVALS[INTERVALS.index(asked):]:
            if _bar_count(interval, days) <= MAX_BARS_ASKED:
                return interval
    return next((i for i in INTERVALS if _bar_count(i, days) <= MAX_BARS), "year")


def buckets(interval: str, counts: list[list]) -> list[tuple[str, int]]:
    """Every bucket from the first to the last counted one, zeros included."""
    if not counts:
        return []
    found = dict(counts)
    labels = list(_labels(interval, counts[0][0], counts[-1][0]))
    return [(label, found.get(label, 0)) for label in labels]


def _labels(interval: str, first: str, last: str):
    if interval in ("day", "week"):
        day, end = date.fromisoformat(first), date.fromisoformat(last)
        step = timedelta(days=1 if interval == "day" else 7)
        while day <= end:
            yield day.isoformat()
            day += step
    elif interval == "month":
        y, m = map(int, first.split("-"))
        while f"{y:04d}-{m:02d}" <= last:
            yield f"{y:04d}-{m:02d}"
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    else:
        for year in range(int(first), int(last) + 1):
            yield str(year)


def layout(interval: str, counts: list[list]) -> tuple[list[Bar], list[tuple[float, str, str]]]:
    """Bars and up to 4 axis labels (x, text, SVG text-anchor) for the chart of `counts`."""
    filled = buckets(interval, counts)
    if not filled:
        return [], []
    top = max(count for _, count in filled) or 1
    step = WIDTH / len(filled)
    width = min(max(step - min(2.0, step * 0.2), 1.0), MAX_BAR_WIDTH)
    plot = HEIGHT - TOP - AXIS
    bars = []
    for i, (label, count) in enumerate(filled):
        height = max(plot * count / top, 2.0 if count else 0.0)
        bars.append(Bar(label=label, count=count, x=round((i + 0.5) * step - width / 2, 2),
                        y=round(TOP + plot - height, 2), width=round(width, 2),
                        height=round(height, 2), clause=refine.date_clause(interval, label)))
    every = max(1, -(-len(filled) // 4))
    axis = []
    for i in range(0, len(filled), every):
        x = (i + 0.5) * step
        anchor = "start" if x < LABEL_ROOM else "end" if x > WIDTH - LABEL_ROOM else "middle"
        axis.append((round(max(x - width / 2, 0) if anchor == "start" else
                           min(x + width / 2, WIDTH) if anchor == "end" else x, 2),
                     filled[i][0], anchor))
    return bars, axis
