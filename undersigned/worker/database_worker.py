"""The worker of the database queue (django-tasks-db, the default): one task per round."""

from __future__ import annotations

import time
from typing import Any

from django.db.utils import OperationalError
from django.tasks import TaskResultStatus
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from undersigned.worker.loop import Alive, RobustLoop


class LocalRuns:
    """Which periodic runs are pending, as the scheduler of this process enqueued them.

    The database queue's results say whether the run this scheduler enqueued last has
    finished. It holds back the next run while it waits in the queue, or while this process's
    own worker (`worker_id`) runs it. A run another worker took does not: that worker may
    have died with it — its host lost, nothing will ever mark the run finished — and a second
    run beside a live one is safe, since every periodic task is (SKIP LOCKED, advisory
    locks). So each scheduler keeps at most one run of each task waiting, and each worker
    runs at most one at a time. A run still unfinished `stale_after` seconds after it was
    enqueued is taken as lost (its result could not be written).
    """

    def __init__(self, *, stale_after: float, worker_id: str = "") -> None:
        self.stale_after = stale_after
        self.worker_id = worker_id
        self.last: dict[str, Any] = {}
        self.enqueued_at: dict[str, float] = {}

    def tick(self) -> None:
        """Nothing to do before a round: the database queue runs deferred tasks itself."""

    def enqueue_unless_pending(self, periodic: Any) -> bool:
        previous = self.last.get(periodic.name)
        if previous is not None:
            previous.refresh()
            enqueued = self.enqueued_at.get(periodic.name, 0.0)
            if self.holds_back(previous) and time.monotonic() - enqueued < self.stale_after:
                return False
        self.last[periodic.name] = periodic.enqueue()
        self.enqueued_at[periodic.name] = time.monotonic()
        return True

    def holds_back(self, previous: Any) -> bool:
        """Waiting to be taken, or being run by this process's worker."""
        if previous.status == TaskResultStatus.READY:
            return True
        return previous.status == TaskResultStatus.RUNNING and self.worker_id in (
            previous.worker_ids or []
        )

    def stop(self) -> None:
        """Nothing is held outside this process."""


class DatabaseWorker(RobustLoop, Worker):
    """django-tasks-db's worker, one round at a time, surviving a failed round."""

    def __init__(self, *, scheduler: Alive, interval: float, worker_id: str = "") -> None:
        Worker.__init__(
            self, queue_names=["default"], interval=interval, batch=False,
            backend_name="default", startup_delay=False, max_tasks=None,
            worker_id=worker_id or get_random_string(32), excluded_queue_names=[],
        )  # fmt: skip
        self.scheduler_thread = scheduler
        self.idle_sleep = interval
        self.unrecorded: tuple[DBTaskResult, BaseException] | None = None
        self.last_beat = 0.0

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

    def stop(self) -> None:
        """Nothing to sign off: a database worker leaves no record of itself."""
