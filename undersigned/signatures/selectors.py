"""Reading signature counts — cheap enough for every page view and poll."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.db.models.functions import TruncDate, TruncHour
from django.utils import timezone

from undersigned.core.backlog import Backlog, backlog_of
from undersigned.core.replica import reads_from_primary
from undersigned.petitions.models import Petition
from undersigned.petitions.selectors import get_public_petition
from undersigned.signatures.models import HourlyCount, Signature, SignatureCount
from undersigned.signatures.querysets import (
    CONFIRMED,
    COUNTING,
    HELD,
    INVALIDATED,
    UNCONFIRMED,
    VALID,
)


@dataclass(frozen=True)
class CountSnapshot:
    signature_count: int  # online: confirmed, valid (what the transparency log verifies)
    goal: int
    updated_at: datetime
    paper_count: int = 0  # collected on paper (the paper app)
    paper_counts_toward_goal: bool = False

    @property
    def count_toward_goal(self) -> int:
        """What the progress bar and the milestones measure: online, plus paper where the
        petition says so."""
        return self.signature_count + (self.paper_count if self.paper_counts_toward_goal else 0)

    @property
    def percent_of_goal(self) -> int:
        return min(100, self.count_toward_goal * 100 // max(1, self.goal))

    @property
    def bucket(self) -> int:
        """The count rounded down to two significant figures (1,234 → 1,200): what share
        cards show and their URL carries, so a platform's cached image changes as it grows."""
        return two_significant_figures(self.signature_count)


def two_significant_figures(number: int) -> int:
    """`number` rounded down to two significant figures: 7 → 7, 87 → 87, 1,234 → 1,200."""
    if number < 100:
        return max(0, number)
    scale = 10 ** (len(str(number)) - 2)
    return number // scale * scale


def counted_totals_cache_key(petition_id: int) -> str:
    return f"petition-count:{petition_id}"


def count_json_cache_key(slug: str) -> str:
    return f"petition-count-json:{slug}"


@reads_from_primary  # fills the cache count.json reads: never from a replica
def counted_totals(petition_id: int, *, cached: bool = True) -> tuple[int, int, datetime | None]:
    """(confirmed valid signatures online, signatures on paper, when either last changed) as
    of the last counting run: one aggregate over the per-country counters.

    Cached for COUNT_CACHE_SECONDS, so a crowd polling count.json costs one cache read each
    and the database one small aggregate per petition every few seconds; `cached=False` reads
    the counters themselves (for checks that compare the count with something else).
    """
    key = counted_totals_cache_key(petition_id)
    found = cache.get(key) if cached else None
    if found is None:
        totals = SignatureCount.objects.filter(petition_id=petition_id).aggregate(
            total=Sum("count"), paper=Sum("paper"), updated=Max("updated_at")
        )
        found = (totals["total"] or 0, totals["paper"] or 0, totals["updated"])
        cache.set(key, found, timeout=settings.COUNT_CACHE_SECONDS)
    return found


def counted_total(petition_id: int, *, cached: bool = True) -> tuple[int, datetime | None]:
    """(confirmed valid signatures online, when the count last changed): counted_totals'
    online part."""
    online, _paper, updated_at = counted_totals(petition_id, cached=cached)
    return online, updated_at


def count_snapshot(petition: Petition) -> CountSnapshot:
    online, paper, updated_at = counted_totals(petition.pk)
    return CountSnapshot(
        signature_count=online, goal=petition.goal, updated_at=updated_at or petition.opens_at,
        paper_count=paper, paper_counts_toward_goal=petition.paper_counts_toward_goal,
    )  # fmt: skip


def count_json_body(slug: str) -> bytes:
    """count.json's body for a public petition (404 otherwise), cached whole for as long as
    the count itself is: a poll then costs one cache read."""
    key = count_json_cache_key(slug)
    body = cache.get(key)
    if body is None:
        snapshot = count_snapshot(get_public_petition(slug))
        body = json.dumps(
            {
                "signature_count": snapshot.signature_count,
                "paper_count": snapshot.paper_count,
                "paper_counts_toward_goal": snapshot.paper_counts_toward_goal,
                "count_toward_goal": snapshot.count_toward_goal,
                "goal": snapshot.goal,
                "updated_at": snapshot.updated_at.isoformat(),
            }
        ).encode()
        cache.set(key, body, timeout=settings.COUNT_CACHE_SECONDS)
    return body


def counts_by_country(petition: Petition) -> list[tuple[str, int]]:
    return list(
        SignatureCount.objects.filter(petition=petition, count__gt=0)
        .order_by("-count", "country")
        .values_list("country", "count")
    )


def paper_counts_by_country(petition: Petition) -> list[tuple[str, int]]:
    return list(
        SignatureCount.objects.filter(petition=petition, paper__gt=0)
        .order_by("-paper", "country")
        .values_list("country", "paper")
    )


# --- The staff dashboard: aggregate queries only (numbers, never names or emails) ---------


@dataclass(frozen=True)
class SignatureTally:
    """Every signature of a petition, in exactly one of five states."""

    confirmed: int  # email confirmed, not invalidated, not held: these count
    pending: int  # not confirmed yet, the link still valid
    expired: int  # never confirmed, the link expired
    invalidated: int  # taken off by a moderator (confirmed or not)
    held: int = 0  # confirmed but held back by a limit until a moderator releases it
    # Confirmed signatures per country code, most first.
    confirmed_by_country: tuple[tuple[str, int], ...] = ()

    @property
    def signed(self) -> int:
        return self.confirmed + self.pending + self.expired + self.invalidated + self.held

    @property
    def confirmation_rate(self) -> float | None:
        """Confirmed as a percentage of every signature made; None before the first."""
        return self.confirmed * 100 / self.signed if self.signed else None


def signature_tally(petition: Petition) -> SignatureTally:
    """The petition's signatures counted by state and country: one aggregate query (one pass
    over the petition's rows), whose few hundred per-country rows are added up here."""
    now = timezone.now()
    unconfirmed = VALID & UNCONFIRMED
    rows = list(
        Signature.objects.filter(petition=petition)
        .values("country")
        .annotate(
            confirmed=Count("pk", filter=COUNTING),
            held=Count("pk", filter=HELD & CONFIRMED),
            pending=Count("pk", filter=unconfirmed & Q(confirmation_expires_at__gt=now)),
            expired=Count("pk", filter=unconfirmed & Q(confirmation_expires_at__lte=now)),
            invalidated=Count("pk", filter=INVALIDATED),
        )
        .order_by("-confirmed", "country")
    )
    return SignatureTally(
        confirmed=sum(row["confirmed"] for row in rows),
        pending=sum(row["pending"] for row in rows),
        expired=sum(row["expired"] for row in rows),
        invalidated=sum(row["invalidated"] for row in rows),
        held=sum(row["held"] for row in rows),
        confirmed_by_country=tuple(
            (row["country"], row["confirmed"]) for row in rows if row["confirmed"]
        ),
    )


def _valid_confirmations(petition: Petition, since: datetime) -> QuerySet[Signature]:
    return Signature.objects.filter(petition=petition, confirmed_at__gte=since).counting()


def confirmations_per_hour(
    petition: Petition, hours: int = 48, now: datetime | None = None
) -> list[tuple[datetime, int]]:
    """Valid confirmations in each of the last `hours` hours of the current time zone, oldest
    first, empty hours included; each hour is given by its (aware) start."""
    zone = timezone.get_current_timezone()
    now = (now or timezone.now()).astimezone(zone)
    latest = now.replace(minute=0, second=0, microsecond=0)
    # Step back in real hours (not wall-clock ones), so a change of clocks cannot skip one.
    starts = [
        (latest.astimezone(UTC) - timedelta(hours=back)).astimezone(zone)
        for back in range(hours - 1, -1, -1)
    ]
    rows = (
        _valid_confirmations(petition, starts[0])
        .annotate(hour=TruncHour("confirmed_at", tzinfo=zone))
        .values("hour")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {row["hour"].timestamp(): row["n"] for row in rows}
    return [(start, counts.get(start.timestamp(), 0)) for start in starts]


def confirmations_per_day(
    petition: Petition, days: int = 90, now: datetime | None = None
) -> list[tuple[date, int]]:
    """Valid confirmations on each day since the petition opened (at most the last `days`
    days) in the current time zone, oldest first, empty days included."""
    zone = timezone.get_current_timezone()
    today = (now or timezone.now()).astimezone(zone).date()
    first = max(petition.opens_at.astimezone(zone).date(), today - timedelta(days=days - 1))
    first = min(first, today)
    since = datetime.combine(first, time.min, tzinfo=zone)
    rows = (
        _valid_confirmations(petition, since)
        .annotate(day=TruncDate("confirmed_at", tzinfo=zone))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {row["day"]: row["n"] for row in rows}
    days_shown = [first + timedelta(days=n) for n in range((today - first).days + 1)]
    return [(day, counts.get(day, 0)) for day in days_shown]


# --- The count's history in public (from the counting job's hourly rows, never signatures) ---


@dataclass(frozen=True)
class CountHistory:
    hourly: list[tuple[datetime, int]]  # each of the last `hours` hours (UTC), oldest first
    daily: list[tuple[date, int]]  # each day (UTC) of the petition's life, oldest first


def count_history(
    petition: Petition,
    *,
    hours: int = 168,
    country: str = "",
    days: int | None = None,
    now: datetime | None = None,
) -> CountHistory:
    """Confirmed, valid signatures per hour (the last `hours`; 0: none) and per day (the whole
    life, from opening to today, or the last `days`; empty days included), of all countries or
    of one. Indexed reads of the hourly table: one row per hour, however many signed."""
    now = now or timezone.now()
    latest = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    first_hour = latest - timedelta(hours=hours - 1)
    rows = HourlyCount.objects.filter(petition=petition, country=country)
    if days is not None:
        rows = rows.filter(hour__gte=latest.replace(hour=0) - timedelta(days=days - 1))
    recent = dict(rows.filter(hour__gte=first_hour).values_list("hour", "count")) if hours else {}
    by_hour = {moment.timestamp(): n for moment, n in recent.items()}
    hourly = [
        (start, by_hour.get(start.timestamp(), 0))
        for start in (first_hour + timedelta(hours=n) for n in range(hours))
    ]
    per_day = dict(
        rows.annotate(day=TruncDate("hour", tzinfo=UTC))
        .values("day")
        .annotate(n=Sum("count"))
        .order_by()
        .values_list("day", "n")
    )
    today = latest.date()
    first_day = min([petition.opens_at.astimezone(UTC).date(), today, *per_day])
    if days is not None:
        first_day = max(first_day, today - timedelta(days=days - 1))
    daily = [
        (day, per_day.get(day, 0))
        for day in (first_day + timedelta(days=n) for n in range((today - first_day).days + 1))
    ]
    return CountHistory(hourly=hourly, daily=daily)


def last_complete_hour(now: datetime | None = None) -> datetime:
    now = (now or timezone.now()).astimezone(UTC)
    return now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=1)


def trending_petition_ids(
    petitions: QuerySet[Petition], hour: datetime, limit: int
) -> list[tuple[int, int]]:
    """(petition id, signatures in `hour` rounded down to two significant figures) of the
    busiest petitions of that hour, busiest first, ties by id: the same answer all hour."""
    rows = HourlyCount.objects.filter(
        hour=hour, country="", count__gt=0, petition__in=petitions
    ).values_list("petition_id", "count")
    ranked = sorted(((pid, round_count(n)) for pid, n in rows), key=lambda r: (-r[1], r[0]))
    return ranked[:limit]


def round_count(n: int) -> int:
    """Down to two significant figures: 7 → 7, 123 → 120, 45,678 → 45,000."""
    if n < 100:
        return n
    step = 10 ** (len(str(n)) - 2)
    return n - n % step


@dataclass(frozen=True)
class SourceTally:
    """Signatures that came from one source (signatures/sources.py; "" came straight),
    made on one day (or on any day, when `day` is None)."""

    source: str
    signed: int  # every signature made, in whatever state
    confirmed: int  # confirmed, valid, not held: these count
    day: date | None = None

    @property
    def confirmation_rate(self) -> float | None:
        return self.confirmed * 100 / self.signed if self.signed else None


def tally_by_source_and_day(petition: Petition) -> list[SourceTally]:
    """Each source's signatures per day they were made (current time zone), newest day first,
    then most confirmations first: one aggregate query, one row per (day, source)."""
    zone = timezone.get_current_timezone()
    rows = (
        Signature.objects.filter(petition=petition)
        .annotate(day=TruncDate("created_at", tzinfo=zone))
        .values("day", "source")
        .annotate(signed=Count("pk"), confirmed=Count("pk", filter=COUNTING))
        .order_by("-day", "-confirmed", "source")
    )
    return [SourceTally(row["source"], row["signed"], row["confirmed"], row["day"]) for row in rows]


def tally_by_source(days: list[SourceTally]) -> list[SourceTally]:
    """The per-day tallies added up per source, the one that brought most confirmations
    first."""
    signed: dict[str, int] = {}
    confirmed: dict[str, int] = {}
    for row in days:
        signed[row.source] = signed.get(row.source, 0) + row.signed
        confirmed[row.source] = confirmed.get(row.source, 0) + row.confirmed
    totals = [SourceTally(source, signed[source], confirmed[source]) for source in signed]
    return sorted(totals, key=lambda row: (-row.confirmed, -row.signed, row.source))


def counting_backlog() -> Backlog | None:
    """Confirmed signatures the counting job has not added yet, and the earliest of their
    confirmations (the counting lag); read in id order, the order of the partial index
    `signature_to_count` (core/backlog.py: at most CAP rows)."""
    return backlog_of(Signature.objects.to_count(), by="confirmed_at", order="id").get("")


def held_backlog() -> dict[str, Backlog]:
    """Held signatures waiting for a moderator, per reason, with the oldest one's time
    (partial index `signature_held`)."""
    return backlog_of(Signature.objects.held(), by="created_at", kind="held_reason")
