"""Removing signers' personal data on schedule: the writes. What is due is decided in
privacy/retention/rules.py; these functions carry it out in batches on the rows they are given.

Each batch is one short transaction whose rows are locked first (SKIP LOCKED on PostgreSQL;
SQLite's write lock is held for the whole transaction), so a row cannot stop being due between
choosing it and changing it (a signer confirming at that very moment waits for the batch), a
run never blocks signing for long, and two runs never take the same rows.
"""

from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Callable
from datetime import datetime

from django.db import transaction
from django.db.models import CharField, QuerySet, Value
from django.db.models.functions import Cast, Concat

from undersigned.signatures.models import EmailDue, Signature
from undersigned.signatures.querysets import HAS_NETWORK_DATA, NEVER_CONFIRMED

BATCH_SIZE = 1000
# Anonymised rows keep the unique (petition, email_normalised) key filled with this prefix and
# their own id: unique, and obviously not an address (no "@").
ANONYMISED_PREFIX = "anonymised:"


def _take_batch(due: QuerySet[Signature], batch_size: int) -> list[tuple[int, int]]:
    """(id, petition_id) of the next batch of due rows, locked for this transaction."""
    locked = due.order_by("id").select_for_update(skip_locked=True, of=("self",))
    return list(locked.values_list("id", "petition_id")[:batch_size])


def _in_batches(
    due: QuerySet[Signature], batch_size: int, apply: Callable[[QuerySet[Signature]], int]
) -> Counter[int]:
    """Apply `apply` to `due` batch by batch; returns rows changed per petition id."""
    changed: Counter[int] = Counter()
    while True:
        with transaction.atomic():
            batch = _take_batch(due, batch_size)
            if not batch:
                return changed
            apply(Signature.objects.filter(id__in=[row_id for row_id, _ in batch]))
            changed.update(petition_id for _, petition_id in batch)
        if len(batch) < batch_size:
            return changed


def anonymise_signatures(
    due: QuerySet[Signature], now: datetime, batch_size: int = BATCH_SIZE
) -> Counter[int]:
    """Remove name, email and network data from the `due` signatures; returns rows per petition.

    Country, language, dates and the confirmed / counted / invalidated / held state stay, so
    every count (public, per country, per day) stays exactly as it was and can be re-checked
    from the rows. The confirmation key is replaced, so an old link no longer finds the row.
    """

    def anonymise(rows: QuerySet[Signature]) -> int:
        # One random prefix per batch plus the row id: unique without a query per row.
        key_prefix = secrets.token_urlsafe(16) + ":"
        as_text = Cast("id", output_field=CharField())
        return rows.update(
            name="",
            email="",
            email_normalised=Concat(Value(ANONYMISED_PREFIX), as_text, output_field=CharField()),
            email_domain="",
            client_subnet="",
            client_hash="",
            confirmation_key=Concat(Value(key_prefix), as_text, output_field=CharField()),
            updates_opt_in=False,
            email_due=EmailDue.NONE,
            email_next_attempt_at=None,
            reminder_requested_at=None,
            anonymised_at=now,
        )

    return _in_batches(due.filter(anonymised_at__isnull=True), batch_size, anonymise)


def purge_unconfirmed_signatures(
    due: QuerySet[Signature], batch_size: int = BATCH_SIZE
) -> Counter[int]:
    """Delete the `due` unconfirmed signatures (never counted, so no count changes); returns
    rows per petition. Their update-delivery rows go with them (the foreign key cascades)."""

    def purge(rows: QuerySet[Signature]) -> int:
        return rows.delete()[0]

    unconfirmed = due.filter(NEVER_CONFIRMED)
    return _in_batches(unconfirmed, batch_size, purge)


def clear_network_data(due: QuerySet[Signature], batch_size: int = BATCH_SIZE) -> Counter[int]:
    """Empty the network subnet and address hash of the `due` signatures; rows per petition."""

    def clear(rows: QuerySet[Signature]) -> int:
        return rows.update(client_subnet="", client_hash="")

    return _in_batches(due.filter(HAS_NETWORK_DATA), batch_size, clear)
