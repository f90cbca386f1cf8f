"""The erasure side's signal, turned into `signature.erased` events in its own transaction
(events.py says why: the signature row is gone a moment later)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.utils import timezone

from undersigned.petitions.models import Petition
from undersigned.signatures import signals
from undersigned.webhooks.events import create_events, fan_out, wanted_types
from undersigned.webhooks.models import Event, EventType


@receiver(signals.deleted, dispatch_uid="webhooks_signatures_deleted")
def announce_erasure(
    sender: Any, signatures: list[tuple[int, int]], reason: str, **kwargs: Any
) -> None:
    now = timezone.now()
    organisation_of = dict(
        Petition.objects.filter(pk__in={petition_id for _pk, petition_id in signatures})
        .values_list("pk", "case__organisation_id")
    )  # fmt: skip
    per_organisation: dict[int, list[Event]] = {}
    for signature_pk, petition_id in signatures:
        organisation_id = organisation_of[petition_id]
        per_organisation.setdefault(organisation_id, []).append(Event(
            organisation_id=organisation_id, type=EventType.SIGNATURE_ERASED,
            petition_id=petition_id, signature_pk=signature_pk, source_pk=signature_pk,
            occurred_at=now,
        ))  # fmt: skip
    for organisation_id, events in sorted(per_organisation.items()):
        if EventType.SIGNATURE_ERASED in wanted_types(organisation_id):
            fan_out(organisation_id, create_events(events), now)
