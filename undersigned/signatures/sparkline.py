"""The petition page's sparkline: signatures per day, drawn on the server as a small SVG.

No script, no inline style (the CSP allows none): a polyline in a viewBox, its colour from
site.css. Screen readers get the same numbers in words (`summary`), not the drawing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

WIDTH, HEIGHT = 300, 60
DAYS = 30


@dataclass(frozen=True)
class Sparkline:
    points: str  # the polyline's "x,y x,y …" in a WIDTH by HEIGHT viewBox
    area: str  # the same line closed along the bottom, for the filled area
    summary: str  # the text alternative
    width: int = WIDTH
    height: int = HEIGHT


def sparkline(daily: list[tuple[date, int]]) -> Sparkline | None:
    """The last DAYS days of `daily` (oldest first), or None when there is nothing to draw."""
    days = daily[-DAYS:]
    if len(days) < 2 or not any(n for _day, n in days):
        return None
    top = max(n for _day, n in days)
    step = WIDTH / (len(days) - 1)
    coordinates = [
        (round(i * step, 1), round(HEIGHT - 2 - (HEIGHT - 4) * n / top, 1))
        for i, (_day, n) in enumerate(days)
    ]
    points = " ".join(f"{x:g},{y:g}" for x, y in coordinates)
    busiest_day, busiest = max(days, key=lambda row: (row[1], row[0]))
    summary = _(
        "Signatures per day over the last %(days)s days: %(total)s in all, the most on "
        "%(day)s (%(most)s); %(today)s today."
    ) % {
        "days": len(days),
        "total": number_format(sum(n for _day, n in days), force_grouping=True),
        "day": date_format(busiest_day, "DATE_FORMAT"),
        "most": number_format(busiest, force_grouping=True),
        "today": number_format(days[-1][1], force_grouping=True),
    }
    area = f"0,{HEIGHT} {points} {WIDTH},{HEIGHT}"
    return Sparkline(points=points, area=area, summary=summary)
