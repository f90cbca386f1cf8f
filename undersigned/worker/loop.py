"""What every task worker does around its rounds, whichever queue it reads (docs/reliability.md).

- Before each round it closes database connections that broke (a PostgreSQL restart) so
  the round opens a fresh one; a round that fails anyway is logged (the exception's type
  only: Django's errors may quote an address) and retried with exponential backoff, up to
  MAX_BACKOFF seconds — the worker never dies of an outage, and never lives on without
  working: if the scheduler thread is gone, the worker exits 3 so its supervisor
  (`undersigned serve --with-worker`, systemd) starts a fresh one.
- A task whose result could not be written (the store went away mid-task) is marked failed
  once the store is back (`record_unrecorded`).
- After each successful round it beats (`heartbeat.beat`), which `/healthz` reports.
"""

from __future__ import annotations

import logging
import time
from typing import Protocol

from django.db import close_old_connections, connections

from undersigned.worker import heartbeat

logger = logging.getLogger("undersigned.worker.runner")
FIRST_BACKOFF = 0.5  # seconds after a failed round; doubled after each further one
MAX_BACKOFF = 5.0


def close_broken_connections() -> None:
    """Close every connection that errored or expired; after an outage, close them all.

    `close_old_connections` asks a connection that saw an error whether it still works; one
    that never saw the outage (idle across a restart) is caught by its first query failing,
    after which the round's handler closes everything.
    """
    close_old_connections()


def close_all_connections() -> None:
    for connection in connections.all(initialized_only=True):
        try:
            connection.close()
        except Exception as error:  # a broken socket may fail to close; it is dropped anyway
            logger.debug("closing a broken connection failed (%s)", type(error).__name__)


class Backoff:
    """FIRST_BACKOFF, doubled after each failure in a row, capped at MAX_BACKOFF."""

    def __init__(self, first: float | None = None, most: float | None = None) -> None:
        self.first = FIRST_BACKOFF if first is None else first
        self.most = MAX_BACKOFF if most is None else most
        self.failures = 0

    def failed(self) -> float:
        self.failures += 1
        return min(self.most, self.first * 2 ** (self.failures - 1))

    def succeeded(self) -> None:
        self.failures = 0


class Alive(Protocol):
    def is_alive(self) -> bool: ...


class RobustLoop:
    """The loop of rounds; a worker class supplies `round()` (run one task; False when none
    was ready) and `record_unrecorded()`. `idle_sleep` is slept after an empty round (0 for
    a queue whose round already waits for work, as a blocking Redis pop does)."""

    running: bool
    idle_sleep: float
    scheduler_thread: Alive
    last_beat: float

    def round(self) -> bool:
        raise NotImplementedError

    def record_unrecorded(self) -> None:
        raise NotImplementedError

    def run(self) -> None:
        backoff = Backoff()
        while self.running:
            if not self.scheduler_thread.is_alive():
                logger.error("the scheduler thread has stopped; exiting so a fresh worker starts")
                raise SystemExit(3)
            try:
                close_broken_connections()
                self.record_unrecorded()
                ran = self.round()
                self.beat()
            except Exception as error:
                delay = backoff.failed()
                logger.warning(
                    "worker round failed (%s); retrying in %.1f s", type(error).__name__, delay
                )
                close_all_connections()
                time.sleep(delay)
                continue
            backoff.succeeded()
            if self.running and not ran and self.idle_sleep:
                time.sleep(self.idle_sleep)

    def beat(self) -> None:
        now = time.monotonic()
        if now - self.last_beat >= heartbeat.BEAT_EVERY:
            heartbeat.beat()
            self.last_beat = now
