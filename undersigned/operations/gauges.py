"""The numbers /metrics reads from the database at scrape time, cached for a few seconds.

Each is one cheap query (core/backlog.py: the oldest rows of a partial index, LIMIT'ed):

- undersigned_outbox_due{outbox,kind}, undersigned_outbox_oldest_due_seconds{outbox,kind}:
  emails due and not yet taken, per outbox (every core.outbox.Outbox) and kind of email,
  and how long the oldest has been due.
- undersigned_counting_backlog, undersigned_counting_lag_seconds: confirmed signatures not
  yet in the count, and the time since the earliest of those confirmations.
- undersigned_held_signatures{reason}, undersigned_held_oldest_seconds{reason}: held
  signatures waiting for a moderator.
- undersigned_tasks_queued, undersigned_tasks_oldest_queued_seconds: tasks ready to run.
- undersigned_task_failures_total{task}: failures per task since the site began.
- undersigned_worker_last_round_seconds: since the task worker's last finished round (+Inf
  when none ever finished one, so the "worker stuck" alert fires on a site without one).
- undersigned_metrics_collect_failed{part}: 1 when a part could not be read (the database
  is away); the scrape still answers with the rest.

Numbers are read from the primary database: a replica's lag would hide the lag we measure.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime

from django.utils import timezone
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric

from undersigned.core.backlog import Backlog
from undersigned.core.outbox import Outbox
from undersigned.debates.emails import ContributionEmails
from undersigned.privacy.my_data.emails import MyDataEmails
from undersigned.proposals.emails import ProposalEmails
from undersigned.signatures.emails import SignatureEmails
from undersigned.signatures.models import HeldReason
from undersigned.signatures.selectors import counting_backlog, held_backlog
from undersigned.webhooks.notices import DisabledNotices
from undersigned.worker import backends, heartbeat
from undersigned.worker.failures import failures_by_task
from undersigned.worker.selectors import queued_tasks

logger = logging.getLogger(__name__)

# Every outbox of the site (tests/operations/test_metrics.py checks none is missing).
OUTBOXES: tuple[type[Outbox], ...] = (
    SignatureEmails, ProposalEmails, ContributionEmails, MyDataEmails, DisabledNotices,
)  # fmt: skip
CACHE_SECONDS = 5.0


def _age(oldest: datetime | None, now: datetime) -> float:
    return max(0.0, (now - oldest).total_seconds()) if oldest is not None else 0.0


def _outboxes(now: datetime) -> Iterator[Metric]:
    due = GaugeMetricFamily(
        "undersigned_outbox_due", "Emails due and not yet taken by a worker (read up to "
        "10,000 per outbox).", labels=["outbox", "kind"],
    )  # fmt: skip
    oldest = GaugeMetricFamily(
        "undersigned_outbox_oldest_due_seconds",
        "How long the oldest email due has waited since it was due.", labels=["outbox", "kind"],
    )  # fmt: skip
    for box_class in OUTBOXES:
        box = box_class()
        found = box.backlog(now)
        for kind in box.kinds():
            backlog = found.get(kind, Backlog(0, None))
            due.add_metric([box.key, kind], backlog.rows)
            oldest.add_metric([box.key, kind], _age(backlog.oldest, now))
    yield due
    yield oldest


def _counting(now: datetime) -> Iterator[Metric]:
    backlog = counting_backlog() or Backlog(0, None)
    yield GaugeMetricFamily(
        "undersigned_counting_backlog",
        "Confirmed signatures the counting job has not added to the count yet.",
        value=backlog.rows,
    )
    yield GaugeMetricFamily(
        "undersigned_counting_lag_seconds",
        "Seconds since the earliest confirmation not yet in the count (0 when none waits).",
        value=_age(backlog.oldest, now),
    )


def _held(now: datetime) -> Iterator[Metric]:
    found = held_backlog()
    rows = GaugeMetricFamily(
        "undersigned_held_signatures", "Held signatures waiting for a moderator, by reason.",
        labels=["reason"],
    )  # fmt: skip
    oldest = GaugeMetricFamily(
        "undersigned_held_oldest_seconds", "Age of the oldest held signature, by reason.",
        labels=["reason"],
    )  # fmt: skip
    for reason in HeldReason.values:
        if not reason:
            continue
        backlog = found.get(reason, Backlog(0, None))
        rows.add_metric([reason], backlog.rows)
        oldest.add_metric([reason], _age(backlog.oldest, now))
    yield rows
    yield oldest


def _tasks(now: datetime) -> Iterator[Metric]:
    failures = CounterMetricFamily(
        "undersigned_task_failures", "Task runs that failed, by task.", labels=["task"]
    )
    for task, count in sorted(failures_by_task().items()):
        failures.add_metric([task], count)
    yield failures
    queued = queued_tasks()
    yield GaugeMetricFamily(
        "undersigned_tasks_queued", "Tasks ready to run, not yet taken by a worker.",
        value=queued.rows,
    )  # fmt: skip
    if queued.oldest is not None or not backends.redis_selected():
        yield GaugeMetricFamily(
            "undersigned_tasks_oldest_queued_seconds",
            "How long the oldest task ready to run has waited.", value=_age(queued.oldest, now),
        )  # fmt: skip
    age = heartbeat.age_seconds(now=now)
    yield GaugeMetricFamily(
        "undersigned_worker_last_round_seconds",
        "Seconds since a task worker last finished a round (+Inf: none ever did).",
        value=float("inf") if age is None else age,
    )


PARTS: dict[str, Callable[[datetime], Iterator[Metric]]] = {
    "outboxes": _outboxes,
    "counting": _counting,
    "held": _held,
    "tasks": _tasks,
}


def read_all() -> list[Metric]:
    """Every part, read now; a part that fails is reported, never the whole scrape."""
    now = timezone.now()
    metrics: list[Metric] = []
    failed = GaugeMetricFamily(
        "undersigned_metrics_collect_failed",
        "1 when this part of the database-derived metrics could not be read.", labels=["part"],
    )  # fmt: skip
    for name, part in PARTS.items():
        try:
            metrics.extend(part(now))
        except Exception as error:  # the database is away: say so, serve the rest
            logger.warning("metrics: could not read %s (%s)", name, type(error).__name__)
            failed.add_metric([name], 1)
        else:
            failed.add_metric([name], 0)
    metrics.append(failed)
    return metrics


class DatabaseCollector:
    """A prometheus_client collector serving `read_all`, at most once every CACHE_SECONDS
    per process (a scrape every few seconds by several Prometheus servers costs one read)."""

    def __init__(self, cache_seconds: float = CACHE_SECONDS) -> None:
        self.cache_seconds = cache_seconds
        self.lock = threading.Lock()
        self.read_at = float("-inf")
        self.metrics: list[Metric] = []

    def collect(self) -> Iterator[Metric]:
        with self.lock:
            if time.monotonic() - self.read_at >= self.cache_seconds:
                self.metrics = read_all()
                self.read_at = time.monotonic()
            metrics = self.metrics
        yield from metrics


DATABASE = DatabaseCollector()
