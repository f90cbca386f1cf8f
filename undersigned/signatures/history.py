"""The count's history (confirmed, valid signatures per hour and country) and its milestones.

Written beside the counters, in the same transactions: the counting job adds each batch in
one upsert (`record_batch_in_history_and_milestones`), invalidations and erasures subtract
what they take off the count, a recount rebuilds a petition's history from its rows. So the
history always adds up to the count, and the public history endpoint never reads signatures.

A milestone is crossed in one conditional UPDATE per petition per batch —
`… SET crossed_at = now WHERE crossed_at IS NULL AND threshold <= current count` — so it is
crossed exactly once however many workers count at once (on PostgreSQL the second UPDATE
waits for the first's row lock, then re-reads `crossed_at` and skips), and a count that falls
below it again never un-crosses it: nothing clears `crossed_at`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime

from django.db import connection
from django.db.models import Count, QuerySet
from django.db.models.functions import TruncHour

from undersigned.core.upsert import add_to_counters
from undersigned.petitions.models import Milestone, Petition
from undersigned.signatures.models import HourlyCount, Signature, SignatureCount

ALL_COUNTRIES = ""
Key = tuple[int, str, datetime]  # (petition id, country, hour)


def record_batch_in_history_and_milestones(deltas: Counter[Key], now: datetime) -> None:
    """The counting job's part here: add a batch of newly counted signatures, grouped by
    `deltas_of`, to the history (one upsert for all its (petition, hour, country) rows) and
    cross the milestones of each petition in it (one UPDATE per petition). Called after the
    counts were added."""
    add_to_history(deltas)
    for petition_id in sorted({petition_id for petition_id, _c, _h in deltas}):
        cross_milestones(petition_id, now)


def deltas_of(signatures: QuerySet[Signature], sign: int = 1) -> Counter[Key]:
    groups = (
        signatures.annotate(hour=TruncHour("confirmed_at", tzinfo=UTC))
        .values("petition_id", "country", "hour")
        .annotate(n=Count("id"))
        .order_by()
    )
    return Counter(
        {(row["petition_id"], str(row["country"]), row["hour"]): sign * row["n"] for row in groups}
    )


def deltas_of_rows(rows: Iterable[Signature], sign: int = 1) -> Counter[Key]:
    """The history change for signatures already loaded (an erasure deletes them after)."""
    deltas: Counter[Key] = Counter()
    for row in rows:
        if row.confirmed_at is not None:
            deltas[(row.petition_id, str(row.country), _hour(row.confirmed_at))] += sign
    return deltas


def subtract_from_history(signatures: QuerySet[Signature]) -> None:
    """Take these (counted) signatures off the history, at the hours they were confirmed."""
    add_to_history(deltas_of(signatures, sign=-1))


def add_to_history(deltas: Counter[Key]) -> None:
    """Upsert the per-country rows and, beside them, each hour's all-countries row."""
    totals: Counter[Key] = Counter()
    for (petition_id, _country, hour), n in deltas.items():
        totals[(petition_id, ALL_COUNTRIES, hour)] += n
    rows = [
        {"petition": petition_id, "country": country, "hour": hour, "count": n}
        for (petition_id, country, hour), n in sorted({**deltas, **totals}.items())
        if n
    ]
    add_to_counters(HourlyCount, ["petition", "country", "hour"], "count", rows)


def rebuild_history(petition_id: int) -> None:
    """A recount's part: the petition's history again exactly from its counted, valid rows."""
    HourlyCount.objects.filter(petition_id=petition_id).delete()
    add_to_history(
        deltas_of(Signature.objects.filter(petition_id=petition_id, counted=True).valid())
    )


def cross_milestones(petition_id: int, now: datetime) -> int:
    """Mark crossed, once, the petition's milestones its current count has reached; returns
    how many this call crossed. One statement: the count and the goal are read inside it.
    The count is the online one, plus the paper one where the petition says paper counts
    toward its goal (Petition.paper_counts_toward_goal)."""
    quote = connection.ops.quote_name
    milestones, petitions, counts = (
        quote(Milestone._meta.db_table), quote(Petition._meta.db_table),
        quote(SignatureCount._meta.db_table),
    )  # fmt: skip
    sql = (
        f"UPDATE {milestones} SET crossed_at = %s "  # noqa: S608 - table names from the models
        "WHERE petition_id = %s AND crossed_at IS NULL "
        f"AND COALESCE({quote('count')}, (SELECT goal FROM {petitions} WHERE id = %s)) <= "
        f"(SELECT COALESCE(SUM(c.{quote('count')} + CASE WHEN p.paper_counts_toward_goal "
        f"THEN c.paper ELSE 0 END), 0) FROM {counts} c JOIN {petitions} p "
        "ON p.id = c.petition_id WHERE c.petition_id = %s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql, [connection.ops.adapt_datetimefield_value(now), petition_id, petition_id,
                  petition_id],
        )  # fmt: skip
        return cursor.rowcount


def _hour(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
