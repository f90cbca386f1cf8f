"""Make the dashboard's vendored world map from the npm package `@svg-maps/world`.

Not used at run time (so not in the package): it documents, and can repeat, how
`undersigned/staff/static/staff/world-map.svg` was made.

    cd /tmp && npm pack @svg-maps/world@2.0.0 && tar xzf svg-maps-world-2.0.0.tgz
    python scripts/make_world_map.py /tmp/package/world.svg \
        > undersigned/staff/static/staff/world-map.svg

What it changes (CC BY 4.0 asks that changes be indicated; see WORLD-MAP-LICENSE.txt): each
outline is simplified (Douglas-Peucker, tolerance below) and rounded to one decimal; islets
smaller than half a unit are dropped unless they are all a country has; the paths
of one ISO 3166-1 code are merged (the six US Minor Outlying Islands into UM; the Glorioso
Islands and Juan de Nova into TF, the French Southern Territories they belong to).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

TOLERANCE = 0.3  # viewBox units (the map is 1010 x 666)
SMALLEST_ISLAND = 0.5  # drop rings whose bounding box is smaller than this (both sides)
ALIASES = {"go": "tf", "ju": "tf"}

_PATH = re.compile(r'<path\s+d="([^"]*)"\s+aria-label="([^"]*)"\s+id="([^"]*)"')
_TOKEN = re.compile(r"[mlzMLZ]|-?\d*\.?\d+(?:e-?\d+)?")

Point = tuple[float, float]


def rings_of(d: str) -> list[list[Point]]:
    """The closed rings of a path that uses only relative m/l and z."""
    rings: list[list[Point]] = []
    x = y = 0.0
    numbers: list[float] = []
    ring: list[Point] = []
    for part in _TOKEN.findall(d):
        if part in "mMlLzZ":
            if part in "zZ" and ring:
                rings.append(ring)
                x, y = ring[0]
                ring = []
            continue
        numbers.append(float(part))
        if len(numbers) == 2:
            x, y = x + numbers[0], y + numbers[1]
            ring.append((x, y))
            numbers = []
    if ring:
        rings.append(ring)
    return rings


def simplified(points: list[Point], tolerance: float) -> list[Point]:
    """Douglas-Peucker, iterative."""
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        length = (dx * dx + dy * dy) ** 0.5
        farthest, index = 0.0, -1
        for i in range(first + 1, last):
            px, py = points[i]
            if length > 1e-6:  # a closed ring's ends coincide: measure from the point
                distance = abs(dy * px - dx * py + x2 * y1 - y2 * x1) / length
            else:
                distance = ((px - x1) ** 2 + (py - y1) ** 2) ** 0.5
            if distance > farthest:
                farthest, index = distance, i
        if farthest > tolerance and index > 0:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def _size(ring: list[Point]) -> float:
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    return max(max(xs) - min(xs), max(ys) - min(ys))


def encoded(rings: list[list[Point]]) -> str:
    """Relative path data in tenths, as short as SVG allows."""
    parts: list[str] = []
    cx = cy = 0  # the current point, in tenths
    for ring in rings:
        before = cx, cy
        commands: list[str] = []
        for x, y in ring:
            tx, ty = round(x * 10), round(y * 10)
            if commands and (tx, ty) == (cx, cy):
                continue
            commands.append(f"{_number(tx - cx)}{_number(ty - cy)}")
            if len(commands) == 1:
                start = tx, ty
            cx, cy = tx, ty
        if len(commands) < 3:  # rounds to nothing drawable
            cx, cy = before
            continue
        parts.append("m" + "".join(commands).lstrip() + "z")
        cx, cy = start  # after z, SVG goes back to where the ring began
    return "".join(parts)


def _number(tenths: int) -> str:
    text = f"{tenths / 10:.1f}".rstrip("0").rstrip(".")
    if text.startswith("0."):
        text = text[1:]
    elif text.startswith("-0."):
        text = "-" + text[2:]
    return text if text.startswith("-") else " " + text


def main(source: Path) -> str:
    countries: dict[str, tuple[str, list[list[Point]]]] = {}
    for d, name, identifier in _PATH.findall(source.read_text(encoding="utf-8")):
        code = ALIASES.get(identifier, identifier.split("-")[0])
        rings = [simplified(ring, TOLERANCE) for ring in rings_of(d)]
        largest = max(rings, key=_size)
        rings = [r for r in rings if r is largest or _size(r) >= SMALLEST_ISLAND]
        label = "United States Minor Outlying Islands" if code == "um" else name
        if code in countries:
            previous_label, previous_rings = countries[code]
            countries[code] = (label if identifier == code else previous_label,
                               previous_rings + rings)  # fmt: skip
        else:
            countries[code] = (label, rings)
    lines = [
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1010 666">',
        "<!-- World map from the npm package @svg-maps/world 2.0.0 by Victor Cazanave, based on"
        " MapSVG (https://mapsvg.com/maps/world), licensed CC BY 4.0"
        " (https://creativecommons.org/licenses/by/4.0/). Simplified and merged per ISO 3166-1"
        " code by scripts/make_world_map.py; see WORLD-MAP-LICENSE.txt. -->",
    ]
    for code, (name, rings) in sorted(countries.items()):
        lines.append(f'<path id="{code.upper()}" aria-label="{name}" d="{encoded(rings)}"/>')
    lines.append("</svg>")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(main(Path(sys.argv[1])))
