"""Events derived by the worker from rows already written; signing gains no work.

Where each event comes from (docs/webhooks.md, "Where events come from"):

- `signature.confirmed` and `signature.invalidated`: the petition's transparency log. Every
  signature the counting job adds to the count gets a "signature" entry, and every counted one
  an invalidation takes off gets an "invalidation" entry naming that leaf, in the transaction
  that changes the count, under the petition's LogHead lock — so a petition's entry indexes
  commit in order, and a cursor per petition (`LogCursor`) reads each exactly once, however
  late the worker runs. "Confirmed" therefore means "confirmed and counted": a held
  signature is announced when a moderator releases it, never before.
- `signature.erased`: the erasure service's `signals.deleted`, sent in the deleting
  transaction (withdrawal of one signature, or erasure of all a signer's): the row is gone a
  moment later, so the event is written then (`receivers.py`), and names the signature only
  by its opaque identifier.
- `petition.milestone`, `petition.outcome`: the Milestone rows' `crossed_at` and the
  OutcomeChange rows, scanned by time with an overlap (`ScanMark`); the unique (type, source)
  key makes a row that is read twice one event.

Paper batches are not announced: they are counts, not signatures a CRM could hold.
Events are written only for organisations with a receiving endpoint subscribed to them
(`receiving`), and fanned out (`fan_out`) into deliveries of up to WEBHOOK_BATCH_SIZE events
per endpoint.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from undersigned.petitions.models import Milestone, OutcomeChange, Petition
from undersigned.transparency.models import EntryKind, LogEntry, LogHead
from undersigned.webhooks.models import (
    Delivery,
    DisabledReason,
    Endpoint,
    Event,
    EventType,
    LogCursor,
    ScanMark,
)

LOG_BATCH = 1000  # log entries read per petition per transaction
PETITIONS_PER_RUN = 100
OVERLAP = timedelta(minutes=10)  # re-read of the sources scanned by time


def receiving(organisation_id: int) -> QuerySet[Endpoint]:
    """The endpoints events are queued for: enabled ones, and ones the worker disabled after
    failing (their deliveries wait, up to WEBHOOK_KEEP_DAYS, for an admin to enable them
    again). Not new ones, not ones staff disabled, not ones that answered 410 Gone."""
    return Endpoint.objects.filter(organisation_id=organisation_id).filter(
        Q(enabled=True) | Q(disabled_reason=DisabledReason.FAILING)
    )


def wanted_types(organisation_id: int) -> set[str]:
    """The event types some receiving endpoint of the organisation subscribes to."""
    rows = receiving(organisation_id)
    return {event_type for events in rows.values_list("events", flat=True) for event_type in events}


def fan_out(organisation_id: int, events: list[Event], now: datetime | None = None) -> int:
    """One delivery per enabled, subscribed endpoint per WEBHOOK_BATCH_SIZE of `events`;
    returns how many deliveries were queued."""
    now = now or timezone.now()
    size = settings.WEBHOOK_BATCH_SIZE
    queued = 0
    through = Delivery.events.through
    for endpoint in receiving(organisation_id):
        mine = [event for event in events if endpoint.subscribes_to(event.type)]
        for start in range(0, len(mine), size):
            delivery = Delivery.objects.create(endpoint=endpoint, next_attempt_at=now)
            through.objects.bulk_create(
                [through(delivery_id=delivery.pk, event_id=event.pk)
                 for event in mine[start : start + size]]
            )  # fmt: skip
            queued += 1
    return queued


def create_events(events: list[Event]) -> list[Event]:
    made = Event.objects.bulk_create(events)
    if made and made[0].pk is None:  # a database that returns no ids from a bulk insert
        keys = [(event.type, event.source_pk) for event in events]
        found = {(row.type, row.source_pk): row for row in Event.objects.filter(
            type__in={k for k, _ in keys}, source_pk__in=[pk for _, pk in keys])}  # fmt: skip
        made = [found[key] for key in keys]
    return made


# -- the transparency log: confirmed and invalidated ------------------------------------------


def derive_from_logs() -> int:
    """Read every petition's new log entries; returns how many events were written."""
    unread = Coalesce(
        Subquery(LogCursor.objects.filter(petition=OuterRef("petition")).values("next_index")[:1]),
        0,
    )
    behind = (
        LogHead.objects.annotate(read=unread)
        .filter(size__gt=F("read"))
        .values_list("petition_id", flat=True)[:PETITIONS_PER_RUN]
    )
    return sum(derive_from_log(petition_id) for petition_id in list(behind))


def derive_from_log(petition_id: int) -> int:
    """One transaction: read up to LOG_BATCH entries past the cursor, write their events and
    deliveries, move the cursor."""
    organisation_id = (
        Petition.objects.filter(pk=petition_id).values_list("case__organisation_id", flat=True)
    ).get()
    with transaction.atomic():
        LogCursor.objects.get_or_create(petition_id=petition_id)
        cursor = LogCursor.objects.select_for_update().get(petition_id=petition_id)
        wanted = wanted_types(organisation_id)
        if not wanted & {EventType.SIGNATURE_CONFIRMED, EventType.SIGNATURE_INVALIDATED}:
            # Nobody listens: skip to the log's end without reading it.
            head = LogHead.objects.filter(petition_id=petition_id).values_list("size", flat=True)
            cursor.next_index = max(cursor.next_index, head.get())
            cursor.save(update_fields=["next_index"])
            return 0
        entries = list(
            LogEntry.objects.filter(petition_id=petition_id, index__gte=cursor.next_index)
            .order_by("index")
            .values_list("pk", "index", "kind", "signature_id", "created_at")[:LOG_BATCH]
        )
        if not entries:
            return 0
        events = [
            *_confirmed(organisation_id, petition_id, entries, wanted),
            *_invalidated(organisation_id, petition_id, entries, wanted),
        ]
        made = create_events(sorted(events, key=lambda event: event.source_pk or 0))
        fan_out(organisation_id, made)
        cursor.next_index = entries[-1][1] + 1
        cursor.save(update_fields=["next_index"])
    return len(made)


def _confirmed(
    organisation_id: int, petition_id: int, entries: list[tuple], wanted: set[str]
) -> Iterable[Event]:
    if EventType.SIGNATURE_CONFIRMED not in wanted:
        return
    for pk, _index, kind, signature_id, created_at in entries:
        if kind == EntryKind.SIGNATURE and signature_id is not None:  # None: erased since
            yield Event(
                organisation_id=organisation_id, type=EventType.SIGNATURE_CONFIRMED,
                petition_id=petition_id, signature_pk=signature_id, source_pk=pk,
                occurred_at=created_at,
            )  # fmt: skip


def _invalidated(
    organisation_id: int, petition_id: int, entries: list[tuple], wanted: set[str]
) -> Iterable[Event]:
    if EventType.SIGNATURE_INVALIDATED not in wanted:
        return
    removals = [entry for entry in entries if entry[2] == EntryKind.INVALIDATION]
    if not removals:
        return
    payloads = dict(
        LogEntry.objects.filter(pk__in=[entry[0] for entry in removals]).values_list(
            "pk", "payload"
        )
    )
    leaf_of = {pk: int(bytes(payloads[pk]).split(b"\n")[1]) for pk, *_rest in removals}
    leaves = dict(
        LogEntry.objects.filter(petition_id=petition_id, index__in=set(leaf_of.values()))
        .values_list("index", "signature_id")
    )  # fmt: skip
    for pk, _index, _kind, _signature_id, created_at in removals:
        signature_pk = leaves.get(leaf_of[pk])
        if signature_pk is not None:  # None: erased since (its erasure event says so)
            yield Event(
                organisation_id=organisation_id, type=EventType.SIGNATURE_INVALIDATED,
                petition_id=petition_id, signature_pk=signature_pk, source_pk=pk,
                occurred_at=created_at,
            )  # fmt: skip


# -- milestones and outcomes, scanned by time -------------------------------------------------


def derive_from_petition_records(now: datetime | None = None) -> int:
    now = now or timezone.now()
    return _scan(
        "milestones", EventType.PETITION_MILESTONE, now,
        lambda since: Milestone.objects.filter(crossed_at__gte=since).values_list(
            "pk", "petition_id", "petition__case__organisation_id", "crossed_at"),
    ) + _scan(
        "outcomes", EventType.PETITION_OUTCOME, now,
        lambda since: OutcomeChange.objects.filter(created_at__gte=since).values_list(
            "pk", "petition_id", "petition__case__organisation_id", "created_at"),
    )  # fmt: skip


def _scan(name: str, event_type: str, now: datetime, rows_since) -> int:
    with transaction.atomic():
        mark, _created = ScanMark.objects.get_or_create(name=name, defaults={"scanned_at": now})
        mark = ScanMark.objects.select_for_update().get(pk=mark.pk)
        since = mark.scanned_at - OVERLAP
        rows = list(rows_since(since).order_by("pk"))
        seen = set(
            Event.objects.filter(type=event_type, source_pk__in=[row[0] for row in rows])
            .values_list("source_pk", flat=True)
        )  # fmt: skip
        per_organisation: dict[int, list[Event]] = {}
        for pk, petition_id, organisation_id, occurred_at in rows:
            if pk in seen or event_type not in wanted_types(organisation_id):
                continue
            per_organisation.setdefault(organisation_id, []).append(Event(
                organisation_id=organisation_id, type=event_type, petition_id=petition_id,
                source_pk=pk, occurred_at=occurred_at,
            ))  # fmt: skip
        written = 0
        for organisation_id, events in sorted(per_organisation.items()):
            made = create_events(events)
            fan_out(organisation_id, made, now)
            written += len(made)
        mark.scanned_at = now
        mark.save(update_fields=["scanned_at"])
    return written


def derive_events() -> int:
    """The worker's periodic task: every source, once."""
    return derive_from_logs() + derive_from_petition_records()
