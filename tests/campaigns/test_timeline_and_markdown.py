import re
from datetime import date

import pytest
from django.utils import translation

from tests.factories import make_case, make_timeline_entry
from undersigned.campaigns.markdown import render_markdown
from undersigned.campaigns.models import DatePrecision, format_date_at_precision


@pytest.mark.parametrize(
    ("on", "precision", "shown"),
    [
        (date(2006, 1, 1), DatePrecision.YEAR, "2006"),
        (date(2010, 11, 1), DatePrecision.MONTH, "November 2010"),
        (date(2012, 6, 19), DatePrecision.DAY, "19 June 2012"),
    ],
)
def test_dates_are_shown_at_their_precision(on, precision, shown):
    with translation.override("en"):
        assert format_date_at_precision(on, precision) == shown


def test_dates_at_precision_follow_the_language():
    with translation.override("de"):
        assert format_date_at_precision(date(2012, 6, 19), DatePrecision.DAY) == "19. Juni 2012"
        assert format_date_at_precision(date(2010, 11, 1), DatePrecision.MONTH) == "November 2010"
    with translation.override("es"):
        assert "junio" in format_date_at_precision(date(2012, 6, 19), DatePrecision.DAY)


def test_markdown_renders_emphasis_and_safe_links():
    html = render_markdown("**bold** and [a source](https://example.org/report)")
    assert "<strong>bold</strong>" in html
    assert 'href="https://example.org/report"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "[click](javascript:alert(1))",
        '<img src=x onerror="alert(1)">',
        "[x](JaVaScRiPt:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        "</title><script>alert(1)</script>",
    ],
)
def test_markdown_with_script_or_javascript_links_renders_inert(hostile):
    html = render_markdown(hostile).lower()
    assert "<script" not in html
    assert "<img" not in html
    assert not re.search(r"""<a\s[^>]*href\s*=\s*["']?\s*javascript""", html)
    assert not re.search(r"<[^>]+\son\w+\s*=", html)  # no event-handler attribute in any tag


@pytest.mark.django_db
def test_timeline_is_kept_in_date_order():
    case = make_case()
    later = make_timeline_entry(case, date(2019, 4, 11))
    earlier = make_timeline_entry(case, date(2006, 1, 1), DatePrecision.YEAR)
    assert list(case.timeline.all()) == [earlier, later]
