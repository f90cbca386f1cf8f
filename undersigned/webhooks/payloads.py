"""The body of one delivery: a JSON array of events, built when it is sent.

Each item is one event, in the shape Action Network's webhooks send (an array of items
keyed by OSDI resource names, `osdi:signature`), with the Standard Webhooks fields `type`
and `timestamp` and our event `id` beside them:

    [{"id": "evt_…", "type": "signature.confirmed", "timestamp": "2026-12-04T18:00:00Z",
      "osdi:signature": {"identifiers": ["undersigned:sig_…"], "created_date": …,
                         "undersigned:petition": {"identifiers": ["undersigned:pet_…"], …},
                         "person": {"postal_addresses": [{"country": "DE"}],
                                    …names and email only for endpoints allowed them…}}}]

Built from the rows as they are at sending: an erased signature is never re-sent with its
data, a redelivery carries what is true now. Personal data (the signer's name, email,
language and whether they want updates) goes only to an endpoint allowed it, and only in
`signature.confirmed`, shaped as the partner API's signatures are (the country, alone, goes to
every endpoint, as the API gives it to every key); `signature.erased` carries the stable
identifier and nothing else.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from undersigned.core.opaque_ids import opaque_id
from undersigned.core.site import absolute_url
from undersigned.petitions.models import Milestone, OutcomeChange, Petition
from undersigned.signatures.models import Signature
from undersigned.webhooks.models import Delivery, Endpoint, Event, EventType

NAMESPACE = "undersigned:"


def _when(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def message_id(delivery: Delivery) -> str:
    """The delivery's `webhook-id`: the same on every retry and redelivery."""
    return opaque_id("webhook_message", delivery.pk)


def event_id(event: Event) -> str:
    return opaque_id("webhook_event", event.pk)


def body_for(delivery: Delivery, endpoint: Endpoint) -> bytes:
    events = list(delivery.events.order_by("id"))
    context = _Context(events, endpoint)
    items = [context.item(event) for event in events]
    return json.dumps(items, ensure_ascii=False, separators=(",", ":")).encode()


class _Context:
    """The rows the events name, read once per delivery."""

    def __init__(self, events: list[Event], endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        self.petition_resources: dict[int, dict[str, Any]] = {}
        petition_ids = {event.petition_id for event in events if event.petition_id}
        self.petitions = {p.pk: p for p in Petition.objects.filter(pk__in=petition_ids)}
        confirmed = [
            e.signature_pk
            for e in events
            if e.type == EventType.SIGNATURE_CONFIRMED and e.signature_pk is not None
        ]
        self.signatures = {s.pk: s for s in Signature.objects.filter(pk__in=confirmed)}
        by_type = {
            t: [e.source_pk for e in events if e.type == t and e.source_pk is not None]
            for t in EventType.values
        }
        self.milestones = {
            m.pk: m for m in Milestone.objects.filter(pk__in=by_type[EventType.PETITION_MILESTONE])
        }
        self.outcomes = {
            o.pk: o
            for o in OutcomeChange.objects.filter(pk__in=by_type[EventType.PETITION_OUTCOME])
        }

    def item(self, event: Event) -> dict[str, Any]:
        item: dict[str, Any] = {
            "id": event_id(event), "type": event.type, "timestamp": _when(event.occurred_at),
        }  # fmt: skip
        petition = self.petitions.get(event.petition_id) if event.petition_id else None
        if event.type in (EventType.SIGNATURE_CONFIRMED, EventType.SIGNATURE_INVALIDATED,
                          EventType.SIGNATURE_ERASED):  # fmt: skip
            item["osdi:signature"] = self.signature(event, petition)
        elif event.type == EventType.PETITION_MILESTONE:
            milestone = self.milestones.get(event.source_pk or 0)
            item["undersigned:milestone"] = {
                "petition": self.petition(petition),
                "signatures": milestone.count if milestone else None,
                "is_goal": milestone is not None and milestone.count is None,
                "goal": petition.goal if petition else None,
                "reached_date": _when(milestone.crossed_at) if milestone else None,
            }
        elif event.type == EventType.PETITION_OUTCOME:
            change = self.outcomes.get(event.source_pk or 0)
            item["undersigned:outcome"] = {
                "petition": self.petition(petition),
                "from": change.from_outcome if change else None,
                "to": change.to_outcome if change else None,
                "date": change.changed_on.isoformat() if change else None,
            }
        else:
            item["data"] = {"message": "A test from the back office of Undersigned."}
        return item

    def petition(self, petition: Petition | None) -> dict[str, Any] | None:
        if petition is None:
            return None
        if petition.pk not in self.petition_resources:  # once per delivery, not per event
            self.petition_resources[petition.pk] = self._petition(petition)
        return self.petition_resources[petition.pk]

    def _petition(self, petition: Petition) -> dict[str, Any]:
        return {
            "identifiers": [NAMESPACE + opaque_id("petition", petition.pk)],
            "slug": petition.slug,
            "title": petition.title,
            "browser_url": absolute_url("signatures:petition", slug=petition.slug),
        }

    def signature(self, event: Event, petition: Petition | None) -> dict[str, Any]:
        resource: dict[str, Any] = {
            "identifiers": [NAMESPACE + opaque_id("signature", event.signature_pk or 0)]
        }
        if event.type == EventType.SIGNATURE_ERASED:
            return resource  # the identifier, and nothing else
        resource["undersigned:petition"] = self.petition(petition)
        if event.type == EventType.SIGNATURE_INVALIDATED:
            resource["undersigned:status"] = "invalidated"
            return resource
        row = self.signatures.get(event.signature_pk or 0)
        if row is None:  # erased since: its erasure event follows
            return resource
        # The partner API's shape (partners/selectors.py): modified_date is the confirmation,
        # the country is not personal on its own, the whole name goes in given_name.
        resource["created_date"] = _when(row.created_at)
        resource["modified_date"] = _when(row.confirmed_at)
        person: dict[str, Any] = {"postal_addresses": [{"country": str(row.country)}]}
        if self.endpoint.personal_data and row.anonymised_at is None:
            person.update(
                given_name=row.name, family_name="",
                email_addresses=[{"address": row.email, "primary": True}],
                languages_spoken=[row.language], wants_updates=row.updates_opt_in,
            )  # fmt: skip
        resource["person"] = person
        return resource
