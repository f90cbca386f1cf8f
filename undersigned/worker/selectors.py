"""Reading the task queue for /metrics: what waits to run, and since when."""

from __future__ import annotations

from django.tasks import task_backends
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from undersigned.core.backlog import Backlog, backlog_of


def queued_tasks() -> Backlog | None:
    """Tasks ready to run and not yet taken by a worker, with the earliest enqueued; None
    when the queue is not in the database (another task backend reports its own)."""
    if not isinstance(task_backends["default"], DatabaseBackend):
        return None
    ready = DBTaskResult.objects.ready()
    return backlog_of(ready, by="enqueued_at").get("", Backlog(0, None))
