"""The pattern every email outbox shares: lease due rows, send, mark, back off.

A row is due when its due-time column is at or before now. A worker leases a batch by moving
that column to the lease's end, inside a SELECT … FOR UPDATE SKIP LOCKED, so two workers
never take the same row; a row is still ours only while the column holds exactly our lease
end (a worker that stalls past it loses the row to another, and its late writes miss).
A failed row is retried with exponential backoff and, after MAX_ATTEMPTS, flagged failed —
never silently dropped. Used by the signature outbox, "manage my data" links and public
petition emails; update mailings keep their own throttled sender (mailings/sending.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 8


def retry_delay(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min … capped at 1 hour: eight attempts span about two hours."""
    return timedelta(seconds=min(3600, 30 * 2 ** max(0, attempts - 1)))


def lease_due(
    due: QuerySet[Any], *, due_field: str, batch_size: int, now: datetime
) -> tuple[list[int], datetime]:
    """Take up to `batch_size` rows of `due` whose `due_field` has come; (their ids, lease end)."""
    lease_until = now + LEASE
    with transaction.atomic():
        ids = list(
            due.filter(**{f"{due_field}__lte": now})
            .order_by(due_field)
            .select_for_update(skip_locked=True)
            .values_list("id", flat=True)[:batch_size]
        )
        if ids:
            due.model.objects.filter(id__in=ids).update(**{due_field: lease_until})
    return ids, lease_until


def still_leased(
    model: type[Any], ids: list[int], *, due_field: str, lease_until: datetime
) -> QuerySet[Any]:
    """The rows among `ids` that still hold this lease (and so may be written by us)."""
    return model.objects.filter(id__in=ids, **{due_field: lease_until})


def back_off(
    rows: QuerySet[Any],
    attempts: int,
    *,
    due_field: str,
    attempts_field: str,
    failed_field: str,
    give_up: dict[str, Any] | None = None,
) -> None:
    """Count one more failed attempt on `rows` (all at `attempts - 1` before it): retry later,
    or after MAX_ATTEMPTS stop, stamp `failed_field` and apply `give_up`'s extra values."""
    now = timezone.now()
    counted = {attempts_field: F(attempts_field) + 1}
    if attempts >= MAX_ATTEMPTS:
        rows.update(**counted, **{due_field: None, failed_field: now}, **(give_up or {}))
    else:
        rows.update(**counted, **{due_field: now + retry_delay(attempts)})


def drain(send_one_batch: Callable[[], tuple[int, int]], batch_size: int, budget_s: float) -> int:
    """Send batch after batch until one comes back short or the time budget is spent.

    `send_one_batch` returns (emails sent, rows leased); returns the emails sent in all.
    """
    started = time.monotonic()
    sent_total = 0
    while time.monotonic() - started < budget_s:
        sent, leased = send_one_batch()
        sent_total += sent
        if leased < batch_size:
            break
    return sent_total
