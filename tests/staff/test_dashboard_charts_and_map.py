"""The charts and the map say the same as the numbers, to eyes and to screen readers."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from tests.factories import make_case, make_organisation, make_petition, make_signatures, make_staff
from tests.sign_in import sign_in
from undersigned.campaigns.models import Role
from undersigned.staff.charts import PLOT_HEIGHT, daily_chart, hourly_chart
from undersigned.staff.worldmap import shades_for

pytestmark = pytest.mark.django_db

BAR = re.compile(
    r'<rect class="chart__bar[^"]*" x="[\d.]+" y="[\d.]+" width="[\d.]+" height="([\d.]+)">'
    r"<title>([^<]*)</title></rect>"
)
ROW = re.compile(r'<tr><th scope="row">([^<]*)(?:<span[^>]*>[^<]*</span>)?</th><td>([^<]*)</td>')


def _hours(counts: list[int]) -> list[tuple[datetime, int]]:
    first = datetime(2026, 3, 8, 15, 0, tzinfo=UTC)
    return [(first + timedelta(hours=n), count) for n, count in enumerate(counts)]


def test_hourly_chart_has_one_bar_per_hour_with_heights_in_proportion():
    counts = [0] * 44 + [3, 12, 6, 1]
    svg = str(hourly_chart(_hours(counts), "UTC").svg())

    bars = BAR.findall(svg)
    assert len(bars) == 48
    heights = [float(height) for height, _ in bars]
    assert heights[:44] == [0.0] * 44
    assert heights[45] == pytest.approx(4 * heights[44], abs=0.02)  # rounded to 0.01
    assert heights[46] == pytest.approx(2 * heights[44], abs=0.02)
    assert heights[47] == pytest.approx(heights[44] / 3, abs=0.02)
    assert max(heights) <= PLOT_HEIGHT
    assert bars[45][1] == "10 March 2026, 12:00\N{EN DASH}13:00: 12"


def test_chart_says_what_it_shows_to_screen_readers():
    svg = str(hourly_chart(_hours([0] * 46 + [5, 2]), "UTC").svg())
    assert re.search(
        r'<svg [^>]*role="img" aria-labelledby="chart-hourly-title chart-hourly-desc"', svg
    )
    assert '<title id="chart-hourly-title">Signatures per hour</title>' in svg
    found = re.search(r'<desc id="chart-hourly-desc">([^<]*)</desc>', svg)
    assert found
    description = found.group(1)
    assert "last 48 hours (UTC)" in description
    assert "7 confirmed signatures in all" in description
    assert "the most, 5, between 10 March 2026, 13:00\N{EN DASH}14:00" in description


def test_daily_chart_labels_the_axis_and_marks_today_as_still_running():
    days = [(date(2026, 3, 1) + timedelta(days=n), n) for n in range(10)]
    svg = str(daily_chart(days, "UTC").svg())
    assert len(BAR.findall(svg)) == 10
    assert svg.count("chart__bar--now") == 1
    assert ">10 Mar</text>" in svg  # the last day is always labelled
    assert ">Day (UTC)</text>" in svg
    assert re.findall(r'text-anchor="end">([\d,]+)</text>', svg) == ["0", "5", "10"]


def test_dashboard_table_lists_the_same_numbers_as_the_chart(client):
    organisation = make_organisation()
    petition = make_petition(
        case=make_case(organisation=organisation), opens_at=timezone.now() - timedelta(days=4)
    )
    make_signatures(petition, 3, confirmed_at=timezone.now() - timedelta(hours=3))
    make_signatures(petition, 2, confirmed_at=timezone.now() - timedelta(days=2))
    sign_in(client, make_staff(organisation, Role.ANALYST))
    html = client.get(f"/staff/petitions/{petition.slug}/").content.decode()

    for ident, buckets in (("chart-hourly", 48), ("chart-daily", 5)):
        section = html[html.index(f'aria-labelledby="{ident}-heading"') :]
        section = section[: section.index("</section>")]
        bars = [tuple(title.rsplit(": ", 1)) for _height, title in BAR.findall(section)]
        table = section[section.index("<details") :]
        rows = [(label.strip(), count) for label, count in ROW.findall(table)]
        assert len(rows) == buckets
        assert bars == rows
    assert "<summary>The numbers behind the chart</summary>" in html


def test_map_shades_a_country_with_signatures_darker_than_one_without(client):
    organisation = make_organisation()
    petition = make_petition(case=make_case(organisation=organisation))
    make_signatures(petition, 40, country="DE")
    make_signatures(petition, 2, country="BR")
    sign_in(client, make_staff(organisation, Role.ANALYST))
    html = client.get(f"/staff/petitions/{petition.slug}/").content.decode()

    def shade(code: str) -> int:
        found = re.search(
            rf'map__shade-(\d)" data-country="{code}" d="[^"]+"><title>([^<]*)</', html
        )
        assert found, f"{code} is not on the map"
        return int(found.group(1))

    assert shade("DE") == 5
    assert 0 < shade("BR") < shade("DE")
    assert shade("FR") == 0
    assert "<title>Germany: 40</title>" in html
    assert "<title>France: 0</title>" in html
    assert re.search(r'<svg class="map__svg"[^>]*role="img"', html)
    legend = html[
        html.index('<ul class="legend"') : html.index("</ul>", html.index('class="legend"'))
    ]
    assert legend.count("legend__swatch") == 6  # none + five classes
    assert "none" in legend
    assert "21\N{EN DASH}40" in legend
    assert '<th scope="row">Germany</th><td>40</td><td>95.2%</td>' in html


def test_map_classes_grow_geometrically_and_the_leader_is_darkest():
    assert [(s.low, s.high) for s in shades_for(1_000_000)] == [
        (1, 20), (21, 300), (301, 4000), (4001, 60000), (60001, 1_000_000),
    ]  # fmt: skip
    assert [(s.index, s.low, s.high) for s in shades_for(2)] == [(4, 1, 1), (5, 2, 2)]
    assert shades_for(0) == []
