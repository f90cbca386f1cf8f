"""How much work is waiting, and since when: the gauges /metrics reads (operations/gauges.py).

A backlog is read from the oldest `cap` rows only (`ORDER BY … LIMIT cap`, which a partial
index on the waiting rows answers), so reading it costs the same with ten rows waiting or ten
million: beyond `cap`, the count reads `cap` ("at least"), which is plenty to alert on, and
the oldest row — the one that says how late the work is — is always exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Min, QuerySet

CAP = 10_000


@dataclass(frozen=True)
class Backlog:
    rows: int  # at most the cap
    oldest: datetime | None  # the least `by` value among them; None when nothing waits


def backlog_of(
    waiting: QuerySet[Any],
    *,
    by: str,
    order: str | None = None,
    kind: str | None = None,
    cap: int = CAP,
) -> dict[str, Backlog]:
    """The first `cap` rows of `waiting` in the order of `order` (the datetime field `by`
    unless the index is on another, e.g. the id), with the least `by` among them, per value of
    the field `kind` (one entry keyed "" without one); kinds with nothing waiting are absent."""
    first = waiting.order_by(order or by).values("pk")[:cap]
    inside = waiting.model._base_manager.filter(pk__in=first)
    if kind is None:
        total = inside.aggregate(rows=Count("pk"), oldest=Min(by))
        return {"": Backlog(total["rows"], total["oldest"])} if total["rows"] else {}
    grouped = inside.values(kind).annotate(rows=Count("pk"), oldest=Min(by)).order_by()
    return {str(row[kind]): Backlog(row["rows"], row["oldest"]) for row in grouped}
