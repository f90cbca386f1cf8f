"""Which task queue is configured (settings.TASKS, from TASKS_URL), and what it holds.

`failed_tasks()` and `queued_tasks()` answer for whichever queue runs, for /metrics and the
operator: the database queue's rows, or the Redis queue's registries.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.tasks import TaskResultStatus

REDIS_BACKEND = "django_tasks_rq.RQBackend"
QUEUE = "default"


def redis_selected() -> bool:
    return bool(settings.TASKS["default"]["BACKEND"] == REDIS_BACKEND)


def backend_name() -> str:
    """ "redis" or "database": a label for metrics and logs."""
    return "redis" if redis_selected() else "database"


def redis_connection() -> Any:
    """A connection to the queue's Redis (RQ_QUEUES, built from TASKS_URL)."""
    import django_rq

    return django_rq.get_connection(QUEUE)


def failed_tasks() -> int:
    """Failed tasks on record: the database queue keeps them until pruned, Redis a week
    (redis_worker.FAILURE_TTL)."""
    if redis_selected():
        from rq import Queue

        return int(Queue(QUEUE, connection=redis_connection()).failed_job_registry.count)
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count()


def queued_tasks() -> int:
    """Tasks waiting for a worker (ready now, not deferred)."""
    if redis_selected():
        from rq import Queue

        return int(Queue(QUEUE, connection=redis_connection()).count)
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.ready().count()
