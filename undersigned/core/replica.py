"""Reads that may be a few seconds old, sent to a read replica when there is one.

`DATABASE_REPLICA_URL` (config/settings.py) adds the database alias "replica" — a streaming
replica of the primary (PostgreSQL hot standby) — and installs `ReplicaRouter`. Nothing is
read from it unless the code asks, visibly, with one of:

- `@reads_from_replica` on a view or API route whose every read may be stale (the public API);
- `read_on_replica(func, …)` inside a staff view, after its permission check (which stays on
  the primary: a role taken away a second ago is gone): the dashboard, the fraud page, the
  retention report. It returns what `func` returned and a `Reading`, which the page shows as
  "Figures as of 18:40:12 (a few seconds behind)" (staff/_figures_as_of.html);
- `iterate_on_replica(make_rows)` for a streamed export, whose rows are read after the view
  has returned.

Inside them every read goes to the replica, except reads

- inside a transaction on the primary (a transaction reads its own writes): the router
  checks `in_atomic_block` on every read, so a transaction opened inside stays whole;
- of functions marked `@reads_from_primary`: those that fill a cache the signing path shares
  (the cached petition, the cached count), whose invalidation assumes the next fill is fresh.

Writes always go to the primary, and migrations never run on the replica. Signing,
confirming, counting and every worker task never enter these, so they never touch it.

When the replica does not answer, or is more than DATABASE_REPLICA_MAX_LAG seconds behind,
the same reads go to the primary and the `Reading` says so ("read from the main database:
the read replica is not answering"); a page never fails because of the replica. A failure in
the middle of `read_on_replica` re-runs `func` on the primary (so `func` must only read). A
failure is remembered for RETRY_SECONDS per process, so a dead replica costs one connection
attempt (at most `connect_timeout`, 2 s) every few seconds, not one per request.

When DATABASE_REPLICA_URL is unset there is no alias and no router, and all of this calls
the function and returns `Reading(PRIMARY)` without touching any database.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, InterfaceError, OperationalError, connections
from django.utils import timezone

REPLICA = "replica"
PRIMARY = "primary"  # no replica configured: read from the one database, as always
FALLBACK = "fallback"  # a replica is configured but was not used (see `Reading.reason`)
NOT_ANSWERING = "not answering"
TOO_FAR_BEHIND = "too far behind"

PROBE_SECONDS = 1.0  # how long a replica's answer (and its lag) is believed, per process
RETRY_SECONDS = 5.0  # how long a replica that failed is left alone, per process

# Where the reads of the running code go: REPLICA inside read_on_replica & co., PRIMARY inside
# reads_from_primary, None (the primary) everywhere else.
_reads: contextvars.ContextVar[str | None] = contextvars.ContextVar("replica_reads", default=None)


@dataclass(frozen=True)
class Reading:
    """Where a page's figures were read, and how fresh they are."""

    source: str  # REPLICA, PRIMARY or FALLBACK
    as_of: datetime  # the time the data is from: the replica's last replayed commit, or now
    behind: float = 0.0  # seconds the replica was behind the primary when asked
    reason: str = ""  # for FALLBACK: NOT_ANSWERING or TOO_FAR_BEHIND

    @property
    def behind_minutes(self) -> int:
        return int(self.behind // 60)

    @property
    def shown(self) -> bool:
        """Whether a page should say where its figures come from (only with a replica)."""
        return self.source != PRIMARY


def configured() -> bool:
    return REPLICA in settings.DATABASES


# -- the router ------------------------------------------------------------------------------


class ReplicaRouter:
    """Reads go to the replica only inside the helpers above and outside transactions."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        if _reads.get() == REPLICA and not connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica holds the primary's rows: one database, two doors

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS


# -- the helpers the code calls --------------------------------------------------------------


def read_on_replica[**P, T](
    func: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs
) -> tuple[T, Reading]:
    """`func(*args, **kwargs)` with its reads on the replica, and where they were made.

    If the replica fails while `func` runs, `func` runs again on the primary: give it only
    reads (writes inside it would go to the primary anyway, but twice)."""
    reading = replica_reading()
    if reading.source != REPLICA:
        return func(*args, **kwargs), reading
    try:
        with _reading_from(REPLICA):
            return func(*args, **kwargs), reading
    except (OperationalError, InterfaceError):
        _failed()
    return func(*args, **kwargs), _fallback(NOT_ANSWERING)


def reads_from_replica[**P, T](func: Callable[P, T]) -> Callable[P, T]:
    """A view or API route whose reads may all be a few seconds old (it only reads)."""

    @functools.wraps(func)
    def on_replica(*args: P.args, **kwargs: P.kwargs) -> T:
        return read_on_replica(func, *args, **kwargs)[0]

    return on_replica


def reads_from_primary[**P, T](func: Callable[P, T]) -> Callable[P, T]:
    """A read that must see the latest commit even when called inside reads_from_replica:
    one that fills a cache the signing path reads too."""

    @functools.wraps(func)
    def on_primary(*args: P.args, **kwargs: P.kwargs) -> T:
        token = _reads.set(PRIMARY)
        try:
            return func(*args, **kwargs)
        finally:
            _reads.reset(token)

    return on_primary


def iterate_on_replica[T](make_rows: Callable[[], Iterable[T]]) -> Iterator[T]:
    """The rows `make_rows()` gives, each fetched with reads on the replica: a streamed export
    is read after its view returned, so the routing has to travel with each row. If the
    replica fails before the first row, the rows come from the primary; after it, the export
    is cut off (and audited as such, privacy/exports/csv_files.py)."""
    if replica_reading().source != REPLICA:
        yield from make_rows()
        return
    rows = iter(make_rows())
    try:
        with _reading_from(REPLICA):
            first = next(rows)
    except StopIteration:
        return
    except (OperationalError, InterfaceError):
        _failed()
        yield from make_rows()
        return
    yield first
    while True:
        token = _reads.set(REPLICA)  # (not _reading_from: this runs once a row, a million times)
        try:
            row = next(rows, _END)
        finally:
            _reads.reset(token)
        if row is _END:
            return
        yield row


_END: Any = object()


@contextlib.contextmanager
def _reading_from(where: str) -> Iterator[None]:
    token = _reads.set(where)
    try:
        yield
    finally:
        _reads.reset(token)


# -- how the replica is doing ---------------------------------------------------------------

# One cheap statement: the replica's clock, whether it is a standby, when the last commit it
# replayed was made, and whether it has replayed all the WAL it has received while still
# receiving (then it is as fresh as the primary, however long ago that commit was).
PROBE = """
SELECT now(), pg_is_in_recovery(), pg_last_xact_replay_timestamp(),
       pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn()
       AND EXISTS (SELECT FROM pg_stat_wal_receiver)
"""

# (monotonic time of the last probe, its Reading or None when the replica failed)
_last_probe: tuple[float, Reading | None] | None = None


def replica_reading() -> Reading:
    """Where reads made now through the helpers go, and how fresh they are: the replica
    (probed at most once per PROBE_SECONDS), or the primary and why."""
    if not configured():
        return Reading(PRIMARY, timezone.now())
    global _last_probe
    now = time.monotonic()
    last = _last_probe
    if last is not None and now - last[0] < (PROBE_SECONDS if last[1] else RETRY_SECONDS):
        found = last[1]
    else:
        found = _probe()
        _last_probe = (now, found)
    if found is None:
        return _fallback(NOT_ANSWERING)
    if found.behind > settings.DATABASE_REPLICA_MAX_LAG:
        return _fallback(TOO_FAR_BEHIND)
    return found


def _probe() -> Reading | None:
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(PROBE)
            now, in_recovery, replayed, caught_up = cursor.fetchone()
    except DatabaseError:
        _close_replica()
        return None
    as_of = now if not in_recovery or caught_up or replayed is None else min(now, replayed)
    return Reading(REPLICA, as_of, behind=(now - as_of).total_seconds())


def _failed() -> None:
    """The replica failed mid-read: leave it alone for RETRY_SECONDS in this process."""
    global _last_probe
    _last_probe = (time.monotonic(), None)
    _close_replica()


def _close_replica() -> None:
    with contextlib.suppress(DatabaseError):
        connections[REPLICA].close()


def _fallback(reason: str) -> Reading:
    return Reading(FALLBACK, timezone.now(), reason=reason)


def forget_probe() -> None:
    """Ask the replica afresh on the next read (tests, and after a failover)."""
    global _last_probe
    _last_probe = None
