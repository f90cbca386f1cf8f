"""Endpoints and worker rounds for the webhook tests."""

from __future__ import annotations

from typing import Any

from undersigned.signatures.services import count_new_confirmations
from undersigned.webhooks import delivery, events
from undersigned.webhooks.models import SUBSCRIBABLE, DisabledReason, Endpoint
from undersigned.webhooks.signing import new_secret


def make_endpoint(organisation: Any, url: str, **fields: Any) -> Endpoint:
    values = {"name": "CRM", "events": list(SUBSCRIBABLE), "personal_data": False,
              "secret": new_secret(), "enabled": True, "disabled_reason": DisabledReason.NONE,
              **fields}  # fmt: skip
    return Endpoint.objects.create(organisation=organisation, url=url, **values)


def worker_round() -> int:
    """What the worker's periodic tasks do in one tick: count, derive, send; how many
    deliveries were delivered."""
    while count_new_confirmations():
        pass
    events.derive_events()
    delivered = 0
    while True:
        sent, leased = delivery.send_batch()
        delivered += sent
        if leased < delivery.BATCH_SIZE:
            return delivered
