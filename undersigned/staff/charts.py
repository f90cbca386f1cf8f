"""Bar charts drawn on the server as SVG: no JavaScript, no chart library, no CDN.

A chart is a picture of numbers the page also gives as a table (see dashboard.html); the SVG
says what it shows in its <title> and <desc>, and each bar names its bucket and count in a
<title> of its own, which a mouse pointer shows as a tooltip.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.utils.formats import date_format, number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Geometry in viewBox units; the SVG scales to its container (see dashboard.css).
WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 10, 16, 52
PLOT_WIDTH, PLOT_HEIGHT = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
BAR_SHARE = 0.72  # of each slot; the rest is the gap between bars
TICK_ROOM = 24  # half the width of the longest x-axis label ("30 Sept")


@dataclass(frozen=True)
class Bar:
    label: str  # the bucket in words, for the tooltip and the table: "3 March 2026"
    count: int
    tick: str = ""  # what the x-axis says under this bar, if anything
    in_progress: bool = False  # the current hour or day, still filling


@dataclass(frozen=True)
class BarChart:
    ident: str  # unique on the page: the SVG's title and desc ids start with it
    title: str
    description: str
    bars: list[Bar]
    x_axis: str  # what the x-axis counts, e.g. "Hour (UTC)"
    period: str = ""  # the span shown, in words: "Last 48 hours"

    @property
    def total(self) -> int:
        return sum(bar.count for bar in self.bars)

    @property
    def peak(self) -> Bar | None:
        busiest = max(self.bars, key=lambda bar: bar.count, default=None)
        return busiest if busiest and busiest.count else None

    @property
    def scale_top(self) -> int:
        return axis_ticks(max((bar.count for bar in self.bars), default=0))[-1]

    def bar_height(self, count: int) -> float:
        return round(count * PLOT_HEIGHT / self.scale_top, 2)

    def svg(self) -> SafeString:
        title_id, desc_id = f"{self.ident}-title", f"{self.ident}-desc"
        return format_html(
            '<svg class="chart__svg" viewBox="0 0 {} {}" role="img" aria-labelledby="{} {}"'
            ' xmlns="http://www.w3.org/2000/svg">'
            '<title id="{}">{}</title><desc id="{}">{}</desc>{}{}{}</svg>',
            WIDTH, HEIGHT, title_id, desc_id, title_id, self.title, desc_id, self.description,
            self._grid(), self._bars(), self._x_axis(),
        )  # fmt: skip

    def _grid(self) -> SafeString:
        lines = []
        for value in axis_ticks(max((bar.count for bar in self.bars), default=0)):
            y = round(TOP + PLOT_HEIGHT - self.bar_height(value), 2)
            lines.append(
                format_html(
                    '<line class="chart__grid" x1="{}" x2="{}" y1="{}" y2="{}"/>'
                    '<text class="chart__tick" x="{}" y="{}" text-anchor="end">{}</text>',
                    *(LEFT, WIDTH - RIGHT, y, y),
                    *(LEFT - 8, y + 4, format_count(value)),
                )
            )
        return SafeString("".join(lines))

    def _bars(self) -> SafeString:
        slot = PLOT_WIDTH / max(1, len(self.bars))
        width = round(max(1.0, slot * BAR_SHARE), 2)
        rows = []
        for index, bar in enumerate(self.bars):
            height = self.bar_height(bar.count)
            rows.append((
                "chart__bar chart__bar--now" if bar.in_progress else "chart__bar",
                round(LEFT + index * slot + (slot - width) / 2, 2),
                round(TOP + PLOT_HEIGHT - height, 2), width, height,
                f"{bar.label}: {format_count(bar.count)}",
            ))  # fmt: skip
        return format_html_join(
            "",
            '<rect class="{}" x="{}" y="{}" width="{}" height="{}"><title>{}</title></rect>',
            rows,
        )

    def _x_axis(self) -> SafeString:
        slot = PLOT_WIDTH / max(1, len(self.bars))
        base = TOP + PLOT_HEIGHT
        ticks = []
        for index, bar in enumerate(self.bars):
            if not bar.tick:
                continue
            x = round(LEFT + (index + 0.5) * slot, 2)
            # A label at either end is kept inside the picture instead of cut off.
            label_x, anchor = x, "middle"
            if x > WIDTH - TICK_ROOM:
                label_x, anchor = WIDTH - 1, "end"
            ticks.append((x, x, base, base + 5, label_x, base + 20, anchor, bar.tick))
        return format_html(
            '<line class="chart__axis" x1="{}" x2="{}" y1="{}" y2="{}"/>{}'
            '<text class="chart__axis-title" x="{}" y="{}" text-anchor="middle">{}</text>',
            *(LEFT, WIDTH - RIGHT, base, base),
            format_html_join(
                "",
                '<line class="chart__axis" x1="{}" x2="{}" y1="{}" y2="{}"/>'
                '<text class="chart__tick" x="{}" y="{}" text-anchor="{}">{}</text>',
                ticks,
            ),
            *(LEFT + PLOT_WIDTH / 2, HEIGHT - 8, self.x_axis),
        )


def axis_ticks(peak: int) -> list[int]:
    """0 and two to five round steps up to at least `peak`: 0, 5, 10 / 0, 250, 500, 750."""
    if peak <= 0:
        return [0, 1, 2, 3, 4]
    raw = max(1.0, peak / 4)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(
        int(nice * magnitude)
        for nice in (1, 2, 2.5, 5, 10)
        if nice * magnitude >= raw and (nice * magnitude).is_integer()
    )
    return [step * n for n in range(math.ceil(peak / step) + 1)]


def format_count(value: int) -> str:
    """12345 → '12,345' (or '12.345' in German)."""
    return number_format(value, force_grouping=True)


def _described(what: str, bars: list[Bar], peak_words: str) -> str:
    total = sum(bar.count for bar in bars)
    if not total:
        return _("%(what)s: no confirmed signatures in this period.") % {"what": what}
    busiest = max(bars, key=lambda bar: bar.count)
    return _("%(what)s: %(total)s confirmed signatures in all; the most, %(peak)s, %(when)s.") % {
        "what": what, "total": format_count(total), "peak": format_count(busiest.count),
        "when": peak_words % {"bucket": busiest.label},
    }  # fmt: skip


def hourly_chart(hours: list[tuple[datetime, int]], zone_name: str) -> BarChart:
    """One bar per hour (the last one still running); the axis marks every sixth hour."""
    bars = []
    for index, (start, count) in enumerate(hours):
        end = (start.astimezone(UTC) + timedelta(hours=1)).astimezone(start.tzinfo)
        hours_range = f"{date_format(start, 'H:i')}\N{EN DASH}{date_format(end, 'H:i')}"
        label = f"{date_format(start, 'DATE_FORMAT')}, {hours_range}"
        tick = ""
        if start.hour % 6 == 0:
            tick = date_format(start, "j M") if start.hour == 0 else date_format(start, "H:i")
        bars.append(Bar(label, count, tick, in_progress=index == len(hours) - 1))
    what = ngettext(
        "Confirmed signatures in the last hour (%(zone)s)",
        "Confirmed signatures per hour, last %(hours)s hours (%(zone)s)",
        len(hours),
    ) % {"hours": len(hours), "zone": zone_name}
    return BarChart(
        ident="chart-hourly", title=_("Signatures per hour"),
        description=_described(what, bars, _("between %(bucket)s")), bars=bars,
        x_axis=_("Hour (%(zone)s)") % {"zone": zone_name},
        period=ngettext("Last hour", "Last %(hours)s hours", len(hours)) % {"hours": len(hours)},
    )  # fmt: skip


def daily_chart(days: list[tuple[date, int]], zone_name: str) -> BarChart:
    """One bar per day (the last one is today); the axis marks about eight days."""
    every = max(1, math.ceil(len(days) / 8))
    last = len(days) - 1
    bars = [
        Bar(
            date_format(day, "DATE_FORMAT"),
            count,
            tick=date_format(day, "j M") if (last - index) % every == 0 else "",
            in_progress=index == last,
        )
        for index, (day, count) in enumerate(days)
    ]
    what = _("Confirmed signatures per day from %(first)s to %(last)s (%(zone)s)") % {
        "first": bars[0].label, "last": bars[-1].label, "zone": zone_name,
    }  # fmt: skip
    return BarChart(
        ident="chart-daily", title=_("Signatures per day"),
        description=_described(what, bars, _("on %(bucket)s")), bars=bars,
        x_axis=_("Day (%(zone)s)") % {"zone": zone_name},
        period=_("Since %(day)s") % {"day": bars[0].label} if bars else "",
    )  # fmt: skip
