"""A world map shaded by signatures per country (a choropleth), drawn on the server as SVG.

The outlines are vendored in static/staff/world-map.svg (from the npm package @svg-maps/world,
CC BY 4.0; see WORLD-MAP-LICENSE.txt there). Each country gets a class for its shade, styled
in dashboard.css, and a <title> with its name and count that a pointer shows as a tooltip;
the page's table gives the same numbers to everyone else.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from pathlib import Path

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django_countries import countries

from undersigned.staff.charts import format_count

MAP_FILE = Path(__file__).resolve().parent / "static" / "staff" / "world-map.svg"
CLASSES = 5
_PATH = re.compile(r'<path id="([A-Z]{2})" aria-label="([^"]*)" d="([^"]*)"/>')
_VIEWBOX = re.compile(r'viewBox="([\d. ]+)"')


@dataclass(frozen=True)
class Shape:
    code: str  # ISO 3166-1 alpha-2
    name: str  # English, from the map file: used only where django-countries has no name
    outline: str  # SVG path data


@dataclass(frozen=True)
class Shade:
    """One class of the legend: countries with `low` to `high` signatures."""

    index: int  # 1 (lightest) to CLASSES (darkest); 0 is "no signatures"
    low: int
    high: int

    @property
    def label(self) -> str:
        if self.low == self.high:
            return format_count(self.low)
        return f"{format_count(self.low)}\N{EN DASH}{format_count(self.high)}"


@functools.cache
def shapes() -> tuple[tuple[Shape, ...], str]:
    """The map's countries and its viewBox, read once per process."""
    text = MAP_FILE.read_text(encoding="utf-8")
    viewbox = _VIEWBOX.search(text)
    return (
        tuple(Shape(code, name, outline) for code, name, outline in _PATH.findall(text)),
        viewbox.group(1) if viewbox else "0 0 1010 666",
    )


def shades_for(peak: int, classes: int = CLASSES) -> list[Shade]:
    """Up to `classes` ranges from 1 to `peak`, growing geometrically and rounded to one
    significant digit (1-20, 21-300, 301-4,000 ...): petitions' country counts are skewed,
    so equal steps would leave all but the leading country in the lightest class. With
    fewer ranges than classes (a small peak), the darkest classes are used, so the leading
    country is always the darkest."""
    if peak <= 0:
        return []
    highs: list[int] = []
    for step in range(1, classes):
        high = _rounded(peak ** (step / classes))
        if high >= peak:
            break
        if not highs or high > highs[-1]:
            highs.append(high)
    highs.append(peak)
    lows = [1] + [high + 1 for high in highs[:-1]]
    first = classes - len(highs) + 1
    return [
        Shade(index, low, high)
        for index, (low, high) in enumerate(zip(lows, highs, strict=True), start=first)
    ]


def shade_of(count: int, shades: list[Shade]) -> int:
    for shade in shades:
        if count <= shade.high:
            return shade.index if count >= shade.low else 0
    return 0


def country_name(code: str, fallback: str = "") -> str:
    """The country's name in the current language (django-countries), else `fallback`."""
    return str(countries.name(code)) or fallback or code


def world_map(counts: dict[str, int], shades: list[Shade]) -> SafeString:
    """The inline SVG: one path per country, in its shade's class, titled "name: count"."""
    outlines, viewbox = shapes()
    paths = format_html_join(
        "",
        '<path class="map__country map__shade-{}" data-country="{}" d="{}">'
        "<title>{}: {}</title></path>",
        (
            (
                shade_of(counts.get(shape.code, 0), shades),
                shape.code,
                shape.outline,
                country_name(shape.code, shape.name),
                format_count(counts.get(shape.code, 0)),
            )
            for shape in outlines
        ),
    )
    return format_html(
        '<svg class="map__svg" viewBox="{}" role="img" aria-labelledby="map-title map-desc"'
        ' xmlns="http://www.w3.org/2000/svg"><title id="map-title">{}</title>'
        '<desc id="map-desc">{}</desc><g class="map__countries">{}</g></svg>',
        viewbox,
        _("Signatures by country"),
        _described(counts),
        paths,
    )


def _described(counts: dict[str, int]) -> str:
    signing = {code: count for code, count in counts.items() if count}
    if not signing:
        return _("World map: no confirmed signatures yet.")
    leader = max(signing, key=lambda code: (signing[code], code))
    return _(
        "World map shaded by confirmed signatures: %(countries)s countries; the most from "
        "%(leader)s (%(count)s). The table beside it lists every country."
    ) % {
        "countries": format_count(len(signing)),
        "leader": country_name(leader),
        "count": format_count(signing[leader]),
    }


def _rounded(value: float) -> int:
    """To one significant digit: 15.8 → 20, 251 → 300, 63,096 → 60,000."""
    magnitude = 10 ** math.floor(math.log10(value))
    return int(round(value / magnitude) * magnitude)
