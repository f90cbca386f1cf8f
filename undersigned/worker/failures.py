"""Task failures, counted in the database so every web process (and host) can report them.

Django sends `task_finished` after each task a worker runs, with its result; a failed one adds
1 to its task's row of TaskFailures in one upsert. Both queues are counted so: the database
queue's worker (django-tasks-db) sends Django's signal, the Redis queue's (django-tasks-rq)
the django-tasks backport's, and apps.py listens to both. A failure whose count cannot
be written — the database is what failed — is not counted; the task's own result still
says it failed, and the next failure is counted again.
"""

from __future__ import annotations

import logging
from typing import Any

from django.tasks import TaskResultStatus
from django.utils import timezone

from undersigned.core.upsert import add_to_counters
from undersigned.worker.models import TaskFailures

logger = logging.getLogger(__name__)


def count_failure(sender: Any, task_result: Any, **kwargs: Any) -> None:
    """The `task_finished` receiver (connected in apps.py)."""
    status = task_result.status
    if getattr(status, "value", status) != TaskResultStatus.FAILED.value:  # either enum
        return
    try:
        add_to_counters(
            TaskFailures, ["task"], "failures",
            [{"task": task_result.task.module_path[:200], "failures": 1,
              "last_failed_at": timezone.now()}],
            also=["last_failed_at"],
        )  # fmt: skip
    except Exception as error:  # never turn a task's failure into the worker's
        logger.warning("could not count a task failure (%s)", type(error).__name__)


def failures_by_task() -> dict[str, int]:
    """Every task that ever failed, with how many times (monotonic: a Prometheus counter)."""
    return dict(TaskFailures.objects.values_list("task", "failures"))
