"""The task worker's heartbeat: when it last finished a round of work, in the database.

Written by every task worker after each successful poll of the queue (at most once every
BEAT_EVERY seconds), read by `/healthz`, so an operator — or a load balancer asking
`/healthz?worker=required` — sees a worker that is alive but stuck. It is in the database,
not the cache, because the default cache is per process and the web processes must see it.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from undersigned.worker.models import Heartbeat

TASKS = "tasks"
BEAT_EVERY = 1.0  # seconds; a beat is one UPDATE


def beat(name: str = TASKS, *, now: datetime | None = None) -> None:
    Heartbeat.objects.update_or_create(name=name, defaults={"beat_at": now or timezone.now()})


def last_beat(name: str = TASKS) -> datetime | None:
    return Heartbeat.objects.filter(name=name).values_list("beat_at", flat=True).first()


def age_seconds(name: str = TASKS, *, now: datetime | None = None) -> float | None:
    """Seconds since the last beat; None when no worker has ever finished a round."""
    last = last_beat(name)
    if last is None:
        return None
    return max(0.0, ((now or timezone.now()) - last).total_seconds())
