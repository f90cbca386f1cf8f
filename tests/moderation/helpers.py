"""Signatures in whatever state and from whatever network a moderation test needs."""

from __future__ import annotations

import itertools

from django.db.models import Sum
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from undersigned.petitions.models import Petition
from undersigned.signatures.models import SignatureCount
from undersigned.signatures.services import count_new_confirmations

_sequence = itertools.count(1)


def public_count(petition: Petition) -> int:
    """The public number, read from the counters (not the cache)."""
    return SignatureCount.objects.filter(petition=petition).aggregate(n=Sum("count"))["n"] or 0


def count_confirmations() -> None:
    while count_new_confirmations():
        pass


def run_queued_tasks() -> int:
    """Run every queued task as `undersigned worker` does (django-tasks-db's Worker.run_task),
    in this process and this test's transaction; returns how many ran."""
    worker = Worker(
        queue_names=["default"], interval=0, batch=True, backend_name="default",
        startup_delay=False, max_tasks=None, worker_id="test", excluded_queue_names=[],
    )  # fmt: skip
    ran = 0
    for result in DBTaskResult.objects.ready().order_by("enqueued_at"):
        result.claim("test")
        worker.run_task(result)
        ran += 1
    return ran
