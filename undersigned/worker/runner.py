"""The task worker: runs queued tasks, and enqueues the periodic ones.

Periodic work (sending owed emails, adding confirmations to counts) is enqueued every
TICK seconds by a small scheduler thread, each only when its previous run has finished;
several workers can run side by side, since every task is safe to run concurrently.

Which queue it reads follows `settings.TASKS` (TASKS_URL; docs/scaling.md, "Tasks"): the
database queue (`database_worker.py`, the default) or Redis (`redis_worker.py`). Either
way the same loop (`loop.py`) survives its dependencies failing and beats for `/healthz`
(docs/reliability.md), and periodic work never waits on a run nobody finishes: a run that
a worker since dead had started is enqueued again at once (the Redis queue sees the worker's
alive key expire; on the database queue a run another worker took never holds back the
next), and any run still pending STALE_AFTER after it was enqueued is taken as lost.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any, Protocol

from django.utils.crypto import get_random_string

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
from undersigned.webhooks.tasks import (
    derive_webhook_events,
    prune_webhook_log,
    send_webhook_notices,
    send_webhooks,
)
from undersigned.worker import backends
from undersigned.worker.database_worker import DatabaseWorker, LocalRuns
from undersigned.worker.loop import Backoff, close_all_connections, close_broken_connections
from undersigned.worker.redis_worker import RedisRuns, RedisWorker

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
    (derive_webhook_events, None),  # events from rows already written (docs/webhooks.md)
    (send_webhooks, None),
    (send_webhook_notices, 10),
    (prune_webhook_log, 3600),
    (apply_paper_retention, 3600),  # expired previews, addresses no longer needed (docs/paper.md)
]
# A periodic run still ready or running this long after it was enqueued is taken as lost
# (its worker was killed, or its result could not be written); every periodic task's own
# time budget is 30 s, so a live one has finished long before.
STALE_AFTER = 300.0


class Runs(Protocol):
    """Which periodic runs are pending: `database_worker.LocalRuns`, `redis_worker.RedisRuns`."""

    def tick(self) -> None: ...
    def enqueue_unless_pending(self, periodic: Any) -> bool: ...
    def stop(self) -> None: ...


class Scheduler(threading.Thread):
    def __init__(self, tick: float, runs: Runs) -> None:
        super().__init__(name="undersigned-scheduler", daemon=True)
        self.tick = tick
        self.runs = runs
        self.stopping = threading.Event()
        self.checked_at: dict[str, float] = {}  # when a task of `every` seconds last was

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
        self.runs.tick()
        failed = False
        for periodic, every in PERIODIC_TASKS:
            if every is not None and not self.due(periodic.name, every):
                continue
            try:
                self.runs.enqueue_unless_pending(periodic)
                self.checked_at[periodic.name] = time.monotonic()
            except Exception as error:
                # A busy or restarting database (or Redis) must not kill the scheduler.
                logger.warning(
                    "could not enqueue %s (%s); will retry", periodic.name, type(error).__name__
                )
                failed = True
        return failed

    def due(self, name: str, every: float) -> bool:
        last = self.checked_at.get(name)
        return last is None or time.monotonic() - last >= every


def run(*, tick: float, interval: float) -> None:
    """Run the worker until SIGINT or SIGTERM (the current task finishes first)."""
    worker: DatabaseWorker | RedisWorker
    runs: Runs
    name = get_random_string(32)
    if backends.redis_selected():
        connection = backends.redis_connection()
        runs = RedisRuns(connection, worker_name=name, stale_after=STALE_AFTER, tick=tick)
        scheduler = Scheduler(tick, runs)
        worker = RedisWorker(scheduler=scheduler, connection=connection, name=name)
    else:
        runs = LocalRuns(stale_after=STALE_AFTER, worker_id=name)
        scheduler = Scheduler(tick, runs)
        worker = DatabaseWorker(scheduler=scheduler, interval=interval, worker_id=name)
    scheduler.start()
    worker.configure_signals()
    try:
        worker.run()
    finally:
        scheduler.stopping.set()
        for stop in (worker.stop, runs.stop):
            try:
                stop()
            except Exception as error:  # Redis away at the end: its keys expire by themselves
                logger.warning("could not sign off (%s)", type(error).__name__)
