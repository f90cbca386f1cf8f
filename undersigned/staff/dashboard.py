"""The petition dashboard: numbers only, never a signer's name or email.

Every number comes from an aggregate query (signatures/selectors.py): four queries per
petition, each one pass over its signatures, kept for DASHBOARD_CACHE_SECONDS (default 60) so a
team watching a petition with a million signatures costs the database four scans a minute.
Charts and the map are SVG drawn here on the server; no JavaScript, nothing from elsewhere.
With a read replica the four queries run there (core/replica.py), after the permission check
on the primary, and the page says how far behind the figures are.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from undersigned.campaigns.permissions import Action
from undersigned.core.replica import Reading, read_on_replica
from undersigned.moderation.selectors import held_total
from undersigned.petitions.models import Petition
from undersigned.petitions.selectors import petition_for_staff
from undersigned.signatures.selectors import (
    SignatureTally,
    SourceTally,
    confirmations_per_day,
    confirmations_per_hour,
    signature_tally,
    tally_by_source,
    tally_by_source_and_day,
)
from undersigned.staff.charts import daily_chart, hourly_chart
from undersigned.staff.worldmap import country_name, shades_for, world_map

SOURCE_DAYS_SHOWN = 14


@dataclass(frozen=True)
class DashboardNumbers:
    tally: SignatureTally
    hours: list[tuple[datetime, int]]
    days: list[tuple[date, int]]
    as_of: datetime
    held: int = 0  # held back from the count until a moderator releases them
    sources: tuple[SourceTally, ...] = ()  # where signatures came from (signatures/sources.py)
    source_days: tuple[SourceTally, ...] = ()
    reading: Reading | None = None  # where they were read, with a replica (core/replica.py)


def dashboard_numbers(petition: Petition) -> DashboardNumbers:
    """The petition's numbers, from the cache when another page view counted them lately."""
    zone = timezone.get_current_timezone_name()
    key = f"staff-dashboard:{petition.pk}:{zone}"
    numbers = cache.get(key)
    if numbers is None:
        numbers, reading = read_on_replica(count_dashboard_numbers, petition)
        if reading.shown:
            numbers = replace(numbers, as_of=reading.as_of, reading=reading)
        cache.set(key, numbers, timeout=settings.DASHBOARD_CACHE_SECONDS)
    return numbers


def count_dashboard_numbers(petition: Petition) -> DashboardNumbers:
    source_days = tally_by_source_and_day(petition)
    recent = timezone.localdate() - timedelta(days=SOURCE_DAYS_SHOWN - 1)
    return DashboardNumbers(
        tally=signature_tally(petition),
        hours=confirmations_per_hour(petition),
        days=confirmations_per_day(petition),
        as_of=timezone.now(),
        held=held_total(petition),
        sources=tuple(tally_by_source(source_days)),
        source_days=tuple(row for row in source_days if row.day and row.day >= recent),
    )


def _percent(part: int, whole: int) -> str:
    """One decimal, rounded (number_format alone would cut 46.15 to 46.1)."""
    return number_format(round(part * 100 / whole, 1), 1) if whole else "0"


def _source_row(row: SourceTally) -> dict[str, object]:
    labels = {"": _("came straight (no source)"), "other": _("other (not a known source)")}
    return {
        "label": labels.get(row.source, row.source),
        "day": row.day,
        "signed": row.signed,
        "confirmed": row.confirmed,
        "rate": _percent(row.confirmed, row.signed),
    }


def dashboard_context(petition: Petition) -> dict[str, object]:
    numbers = dashboard_numbers(petition)
    tally, zone = numbers.tally, timezone.get_current_timezone_name()
    counts = dict(tally.confirmed_by_country)
    shades = shades_for(max(counts.values(), default=0))
    return {
        "petition": petition,
        "tally": tally,
        "held": numbers.held,
        "as_of": numbers.as_of,
        "reading": numbers.reading,
        "rate": _percent(tally.confirmed, tally.signed) if tally.signed else None,
        "goal_percent": number_format(tally.confirmed * 100 // max(1, petition.goal)),
        "goal_fill": min(100, tally.confirmed * 100 // max(1, petition.goal)),
        "charts": [hourly_chart(numbers.hours, zone), daily_chart(numbers.days, zone)],
        "map": world_map(counts, shades),
        "shades": shades,
        "sources": [_source_row(row) for row in numbers.sources],
        "source_days": [_source_row(row) for row in numbers.source_days],
        "countries": [
            (country_name(code), count, _percent(count, tally.confirmed))
            for code, count in tally.confirmed_by_country
        ],
    }


@require_GET
@never_cache
@login_required
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    petition = petition_for_staff(request.user, slug, Action.VIEW_NUMBERS)
    return render(request, "staff/dashboard.html", dashboard_context(petition))
