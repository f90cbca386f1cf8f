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

from django.db import connections
from django.db.models import F, QuerySet, Value

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
    columns = {"backlog_at": F(by), "backlog_kind": F(kind) if kind else Value("")}
    first = waiting.order_by(order or by).values(**columns)[:cap]
    inner, params = first.query.sql_with_params()
    # Grouped over the LIMIT'ed rows themselves (a join back to the table would read it all).
    sql = (
        "SELECT backlog_kind, COUNT(*), MIN(backlog_at) "  # noqa: S608 - our own query's SQL
        f"FROM ({inner}) AS backlog_first GROUP BY backlog_kind"
    )
    connection = connections[first.db]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    field = waiting.model._meta.get_field(by)
    converted = [
        (str(group), count, _as_datetime(field, oldest, connection))
        for group, count, oldest in rows
    ]
    return {group: Backlog(count, oldest) for group, count, oldest in converted if count}


def _as_datetime(field: Any, value: Any, connection: Any) -> datetime | None:
    """The database's value as Django reads it (SQLite returns text; aware datetimes)."""
    if value is None:
        return None
    for converter in connection.ops.get_db_converters(field.get_col(field.model._meta.db_table)):
        value = converter(value, field, connection)
    return value
