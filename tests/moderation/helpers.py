"""Signatures in whatever state and from whatever network a moderation test needs."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Sum
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from undersigned.petitions.models import Petition
from undersigned.signatures.models import Signature, SignatureCount
from undersigned.signatures.network import hash_client_address, subnet_of
from undersigned.signatures.services import count_new_confirmations

_sequence = itertools.count(1)


def make_signatures(
    petition: Petition, count: int, *, ip: str = "198.51.100.1", domain: str = "example.org",
    created_at: datetime | None = None, confirmed: bool = True, **fields: Any,
) -> list[int]:  # fmt: skip
    """`count` signatures from `ip` with addresses at `domain`; returns their ids."""
    now = timezone.now()
    rows = []
    for _ in range(count):
        n = next(_sequence)
        email = f"signer{n}@{domain}"
        rows.append(
            Signature(**{
                "petition": petition, "name": f"Signer {n}", "email": email,
                "email_normalised": email, "email_domain": domain, "country": "DE",
                "client_subnet": subnet_of(ip), "client_hash": hash_client_address(ip),
                "confirmation_key": f"moderation-key-{n}",
                "confirmation_expires_at": now + timedelta(days=1),
                "confirmed_at": now if confirmed else None, **fields,
            })
        )  # fmt: skip
    ids = [row.pk for row in Signature.objects.bulk_create(rows)]
    if created_at is not None:  # created_at is auto_now_add: set it afterwards
        Signature.objects.filter(pk__in=ids).update(created_at=created_at)
    return ids


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
