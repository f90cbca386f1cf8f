"""Reading the task queue for /metrics: what waits to run, and since when."""

from __future__ import annotations

from django_tasks_db.models import DBTaskResult

from undersigned.core.backlog import Backlog, backlog_of
from undersigned.worker import backends


def queued_tasks() -> Backlog:
    """Tasks ready to run and not yet taken by a worker, with the earliest enqueued (the
    database queue; the Redis queue tells only how many: `oldest` is then None)."""
    if backends.redis_selected():
        return Backlog(backends.queued_tasks(), None)
    ready = DBTaskResult.objects.ready()
    return backlog_of(ready, by="enqueued_at").get("", Backlog(0, None))
