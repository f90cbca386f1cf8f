"""The task worker: runs queued tasks, and enqueues the periodic ones.

Periodic work (sending owed emails, adding confirmations to counts) is enqueued every
TICK seconds by a small scheduler thread, each only when its previous run has finished;
several workers can run side by side, since every task is safe to run concurrently.

It survives its dependencies failing (docs/reliability.md):

- Before each round it closes database connections that broke (a PostgreSQL restart) so
  the round opens a fresh one; a round that fails anyway is logged (the exception's type
  only: Django's errors may quote an address) and retried with exponential backoff, up to
  MAX_BACKOFF seconds — the worker never dies of a database outage, and never lives on
  without working: if the scheduler thread is gone, the worker exits non-zero so its
  supervisor (`undersigned serve --with-worker`, systemd) starts a fresh one.
- A task whose result could not be written (the database went away mid-task) is marked
  failed once the database is back, and the scheduler treats a periodic run still pending
  after STALE_AFTER as abandoned, so periodic work never waits on a run nobody finishes.
- After each successful round it beats (`heartbeat.beat`), which `/healthz` reports.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.db import close_old_connections, connections
from django.db.utils import OperationalError
from django.tasks import TaskResultStatus
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from undersigned.debates.tasks import (
    apply_contribution_retention,
    send_contribution_emails,
    tally_debate_votes,
)
from undersigned.mailings.tasks import resume_stalled_mailings, start_due_milestone_mailings
from undersigned.paper.tasks import apply_paper_retention
from undersigned.privacy.tasks import (
    apply_retention_policies,
    purge_expired_my_data,
    send_my_data_emails,
)
from undersigned.proposals.tasks import apply_proposal_retention, send_proposal_emails
from undersigned.signatures.tasks import count_new_confirmations, send_due_emails
from undersigned.worker import heartbeat

logger = logging.getLogger(__name__)
# (task, seconds between runs — None for every tick). Each app's periodic work is listed here.
PERIODIC_TASKS: list[tuple[Any, float | None]] = [
    (send_due_emails, None),
    (count_new_confirmations, None),
    (resume_stalled_mailings, None),
    (start_due_milestone_mailings, None),  # milestones set to auto-send (docs/milestones.md)
    (send_my_data_emails, 5),
    (purge_expired_my_data, 600),
    (apply_retention_policies, 3600),  # retention (docs/privacy.md)
    (send_proposal_emails, None),
    (apply_proposal_retention, 3600),  # docs/public-petitions.md, "Personal data"
    (tally_debate_votes, None),  # readers' votes into the debate tallies (docs/debates.md)
    (send_contribution_emails, None),
    (apply_contribution_retention, 3600),
    (apply_paper_retention, 3600),  # expired previews, addresses no longer needed (docs/paper.md)
]
UNFINISHED = {TaskResultStatus.READY, TaskResultStatus.RUNNING}
FIRST_BACKOFF = 0.5  # seconds after a failed round; doubled after each further one
MAX_BACKOFF = 5.0
# A periodic run still ready or running this long after it was enqueued is taken as lost
# (its worker was killed, or its result could not be written); every periodic task's own
# time budget is 30 s, so a live one has finished long before.
STALE_AFTER = 300.0


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


class Scheduler(threading.Thread):
    def __init__(self, tick: float) -> None:
        super().__init__(name="undersigned-scheduler", daemon=True)
        self.tick = tick
        self.stopping = threading.Event()
        self.last: dict[str, Any] = {}
        self.enqueued_at: dict[str, float] = {}

    def run(self) -> None:
        # First round at once (emails owed while no worker ran go out now), then every tick.
        backoff = Backoff()
        while True:
            wait = self.tick
            try:
                close_broken_connections()
                failed = self.round()
            except Exception as error:  # never let the thread die: the worker would idle
                logger.warning("scheduler round failed (%s); retrying", type(error).__name__)
                failed = True
            if failed:
                close_all_connections()
                wait = max(wait, backoff.failed())
            else:
                backoff.succeeded()
            if self.stopping.wait(wait):
                return

    def round(self) -> bool:
        """Enqueue what is due; True when something could not be enqueued."""
        failed = False
        for periodic, every in PERIODIC_TASKS:
            if every is not None and not self.due(periodic.name, every):
                continue
            try:
                self.enqueue_unless_pending(periodic)
            except Exception as error:
                # A busy or restarting database must not kill the scheduler.
                logger.warning(
                    "could not enqueue %s (%s); will retry", periodic.name, type(error).__name__
                )
                failed = True
        return failed

    def due(self, name: str, every: float) -> bool:
        last = self.enqueued_at.get(name)
        return last is None or time.monotonic() - last >= every

    def enqueue_unless_pending(self, periodic: Any) -> None:
        previous = self.last.get(periodic.name)
        if previous is not None:
            previous.refresh()
            enqueued = self.enqueued_at.get(periodic.name, 0.0)
            if previous.status in UNFINISHED and time.monotonic() - enqueued < STALE_AFTER:
                return
        self.last[periodic.name] = periodic.enqueue()
        self.enqueued_at[periodic.name] = time.monotonic()


class RobustWorker(Worker):
    """django-tasks-db's worker, one round at a time, surviving a failed round."""

    def __init__(self, *, scheduler: Scheduler, interval: float) -> None:
        super().__init__(
            queue_names=["default"], interval=interval, batch=False, backend_name="default",
            startup_delay=False, max_tasks=None, worker_id=get_random_string(32),
            excluded_queue_names=[],
        )  # fmt: skip
        self.scheduler = scheduler
        self.unrecorded: tuple[DBTaskResult, BaseException] | None = None
        self.last_beat = 0.0

    def run(self) -> None:
        backoff = Backoff()
        while self.running:
            if not self.scheduler.is_alive():
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
            if self.running and not ran:
                time.sleep(self.interval)

    def round(self) -> bool:
        """Claim and run one ready task; False when none was ready."""
        tasks = DBTaskResult.objects.ready().filter(
            backend_name=self.backend_name, queue_name__in=self.queue_names
        )
        with exclusive_transaction(tasks.db):
            try:
                task_result = tasks.get_locked()
                if task_result is not None:
                    task_result.claim(self.worker_id)
            except OperationalError as error:
                if not is_locked_database_exception(error):
                    raise
                task_result = None  # SQLite busy: try again next round
        if task_result is None:
            return False
        try:
            self.run_task(task_result)
        except Exception as error:
            # run_task records a task's own failure; this is its record failing (the
            # database went away): write it once the database is back.
            self.unrecorded = (task_result, error)
            raise
        return True

    def record_unrecorded(self) -> None:
        if self.unrecorded is None:
            return
        task_result, error = self.unrecorded
        task_result.refresh_from_db()
        if task_result.status == TaskResultStatus.RUNNING:
            task_result.set_failed(error)
        self.unrecorded = None

    def beat(self) -> None:
        now = time.monotonic()
        if now - self.last_beat >= heartbeat.BEAT_EVERY:
            heartbeat.beat()
            self.last_beat = now


def run(*, tick: float, interval: float) -> None:
    """Run the worker until SIGINT or SIGTERM (the current task finishes first)."""
    scheduler = Scheduler(tick)
    scheduler.start()
    worker = RobustWorker(scheduler=scheduler, interval=interval)
    worker.configure_signals()
    try:
        worker.run()
    finally:
        scheduler.stopping.set()
