"""`undersigned worker`: runs queued tasks, and enqueues the periodic ones.

Periodic work (sending owed emails, adding confirmations to counts) is enqueued every
TICK seconds by a small scheduler thread, each only when its previous run has finished;
several workers can run side by side, since every task is safe to run concurrently.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.tasks import TaskResultStatus
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from undersigned.debates.tasks import (
    apply_contribution_retention,
    send_contribution_emails,
    tally_debate_votes,
)
from undersigned.mailings.tasks import resume_stalled_mailings
from undersigned.privacy.tasks import (
    apply_retention_policies,
    purge_expired_my_data,
    send_my_data_emails,
)
from undersigned.proposals.tasks import apply_proposal_retention, send_proposal_emails
from undersigned.signatures.tasks import count_new_confirmations, send_due_emails

logger = logging.getLogger(__name__)
# (task, seconds between runs — None for every tick). Each app's periodic work is listed here.
PERIODIC_TASKS: list[tuple[Any, float | None]] = [
    (send_due_emails, None),
    (count_new_confirmations, None),
    (resume_stalled_mailings, None),
    (send_my_data_emails, 5),
    (purge_expired_my_data, 600),
    (apply_retention_policies, 3600),  # retention (docs/privacy.md)
    (send_proposal_emails, None),
    (apply_proposal_retention, 3600),  # docs/public-petitions.md, "Personal data"
    (tally_debate_votes, None),  # docs/debates.md
    (send_contribution_emails, None),
    (apply_contribution_retention, 3600),
]
UNFINISHED = {TaskResultStatus.READY, TaskResultStatus.RUNNING}


class Scheduler(threading.Thread):
    def __init__(self, tick: float) -> None:
        super().__init__(name="undersigned-scheduler", daemon=True)
        self.tick = tick
        self.stopping = threading.Event()
        self.last: dict[str, Any] = {}
        self.enqueued_at: dict[str, float] = {}

    def run(self) -> None:
        # First round at once (emails owed while no worker ran go out now), then every tick.
        while True:
            close_old_connections()
            for periodic, every in PERIODIC_TASKS:
                if every is not None and not self.due(periodic.name, every):
                    continue
                try:
                    self.enqueue_unless_pending(periodic)
                except Exception:
                    # A busy or restarting database must not kill the scheduler.
                    logger.exception("could not enqueue %s; will retry", periodic.name)
            if self.stopping.wait(self.tick):
                return

    def due(self, name: str, every: float) -> bool:
        last = self.enqueued_at.get(name)
        return last is None or time.monotonic() - last >= every

    def enqueue_unless_pending(self, periodic: Any) -> None:
        previous = self.last.get(periodic.name)
        if previous is not None:
            previous.refresh()
            if previous.status in UNFINISHED:
                return
        self.last[periodic.name] = periodic.enqueue()
        self.enqueued_at[periodic.name] = time.monotonic()


class Command(BaseCommand):
    help = "Run the background task worker (emails, counting)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--tick", type=float, default=2.0, help="seconds between periodic runs")
        parser.add_argument("--interval", type=float, default=0.5, help="idle poll interval")

    def handle(self, *args: Any, tick: float, interval: float, **options: Any) -> None:
        scheduler = Scheduler(tick)
        scheduler.start()
        worker = Worker(
            queue_names=["default"], interval=interval, batch=False, backend_name="default",
            startup_delay=False, max_tasks=None, worker_id=get_random_string(32),
            excluded_queue_names=[],
        )  # fmt: skip
        worker.configure_signals()
        self.stdout.write(f"Worker running; periodic tasks every {tick:g}s. Ctrl-C stops it.")
        try:
            worker.run()
        finally:
            scheduler.stopping.set()
            time.sleep(0)
