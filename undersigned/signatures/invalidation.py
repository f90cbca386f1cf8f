"""Moderators' bulk writes on signatures: invalidate by criteria, revert a batch, release held.

One function decides which rows criteria match (`matching_signatures`); the preview counts
it and the background task applies it, so the two cannot disagree. The public count obeys
one invariant, the one `recount_petition` rebuilds: it is the number of `counted`, valid
signatures. Invalidating takes counted rows off it, reverting puts the same rows back; both
lock the rows first, so the counting job (SKIP LOCKED) cannot interleave.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from undersigned.audit.models import AuditAction
from undersigned.audit.services import record
from undersigned.petitions.models import Petition
from undersigned.signatures import history, signals
from undersigned.signatures.models import (
    EmailDue,
    HeldReason,
    Invalidation,
    InvalidationStatus,
    Signature,
)
from undersigned.signatures.querysets import NOT_HELD
from undersigned.signatures.services import add_to_count

# Criteria keys, as stored in Invalidation.criteria (JSON). The raw network address is never
# stored: an address arrives here already as its keyed hash.
ADDRESS_HASH = "address_hash"
SUBNET_RANGE = "subnet_range"  # [lo, hi] of client_subnet, inclusive
CIDR = "cidr"  # the range as entered, for people to read
EMAIL_DOMAIN = "email_domain"
COUNTRY = "country"
NAME_PATTERN = "name_pattern"  # case-insensitive, "*" matches any run of characters
CREATED_FROM = "created_from"  # ISO 8601, inclusive
CREATED_TO = "created_to"  # ISO 8601, exclusive
HELD = "held"  # "any" or a HeldReason value
HELD_ANY = "any"
SIGNATURE_IDS = "ids"  # chosen one by one (the admin's "invalidate the selected signatures")
MATCHING_KEYS = (ADDRESS_HASH, SUBNET_RANGE, EMAIL_DOMAIN, COUNTRY, NAME_PATTERN, CREATED_FROM,
                 CREATED_TO, HELD, SIGNATURE_IDS)  # fmt: skip


def name_pattern_regex(pattern: str) -> str:
    """ "jo*n doe" → ^jo.*n doe$ with everything but "*" literal (a regex both databases read:
    Python escapes only punctuation, which PostgreSQL also reads as the literal character)."""
    return "^" + ".*".join(re.escape(part) for part in pattern.split("*")) + "$"


def criteria_filter(criteria: dict[str, Any]) -> Q:
    """The rows the criteria describe (every criterion must hold). Raises ValueError when no
    criterion is given: an empty filter would match the whole petition."""
    q = Q()
    if criteria.get(ADDRESS_HASH):
        q &= Q(client_hash=criteria[ADDRESS_HASH])
    if criteria.get(SUBNET_RANGE):
        lo, hi = criteria[SUBNET_RANGE]
        q &= Q(client_subnet__gte=lo, client_subnet__lte=hi)
    if criteria.get(EMAIL_DOMAIN):
        q &= Q(email_domain=criteria[EMAIL_DOMAIN])
    if criteria.get(COUNTRY):
        q &= Q(country=criteria[COUNTRY])
    if criteria.get(NAME_PATTERN):
        q &= Q(name__iregex=name_pattern_regex(criteria[NAME_PATTERN]))
    if criteria.get(CREATED_FROM):
        q &= Q(created_at__gte=_moment(criteria[CREATED_FROM]))
    if criteria.get(CREATED_TO):
        q &= Q(created_at__lt=_moment(criteria[CREATED_TO]))
    if criteria.get(HELD) == HELD_ANY:
        q &= ~NOT_HELD
    elif criteria.get(HELD):
        q &= Q(held_reason=criteria[HELD])
    if criteria.get(SIGNATURE_IDS):
        q &= Q(pk__in=[int(pk) for pk in criteria[SIGNATURE_IDS]])
    if not q:
        raise ValueError("Bulk invalidation needs at least one criterion.")
    return q


def _moment(value: str) -> datetime:
    moment = parse_datetime(value)
    if moment is None:
        raise ValueError("Malformed date and time in invalidation criteria.")
    return moment


def matching_signatures(petition: Petition, criteria: dict[str, Any]) -> QuerySet[Signature]:
    """Valid signatures — pending, confirmed or held — that the criteria match."""
    return Signature.objects.filter(criteria_filter(criteria), petition=petition).valid()


def count_matching(petition: Petition, criteria: dict[str, Any]) -> int:
    """The preview: exactly what `apply_invalidation` would invalidate now."""
    return matching_signatures(petition, criteria).count()


def apply_invalidation(invalidation_id: int) -> int:
    """Invalidate what the batch's criteria match now; returns how many. Runs in the worker.

    Idempotent: a batch already applied (a retried task) is left alone.
    """
    now = timezone.now()
    with transaction.atomic():
        batch = (
            Invalidation.objects.select_for_update()
            .select_related("petition__case")
            .filter(pk=invalidation_id, status=InvalidationStatus.QUEUED)
            .first()
        )
        if batch is None:
            return 0
        # UPDATE first, then read which of the rows it now holds locked were counted: a row
        # the counting job is busy with is waited for, one it has not reached it skips.
        invalidated = matching_signatures(batch.petition, batch.criteria).update(
            invalidated_at=now, invalidation=batch, email_due=EmailDue.NONE
        )
        counted = _counted_by_country(batch)
        for row in counted:
            add_to_count(batch.petition_id, row["country"], -row["n"], now)
        signals.uncounted.send(
            Signature, signature_ids=_counted_ids(batch), reason=public_reason(batch.criteria)
        )
        history.subtract_from_history(Signature.objects.filter(invalidation=batch, counted=True))
        batch.status, batch.applied_at, batch.invalidated_count = (
            InvalidationStatus.APPLIED, now, invalidated
        )  # fmt: skip
        batch.save(update_fields=["status", "applied_at", "invalidated_count"])
        record(
            AuditAction.INVALIDATION, user=batch.created_by,
            organisation_id=batch.petition.case.organisation_id, petition_id=batch.petition_id,
            subject=str(batch), row_count=invalidated,
            detail=f"{sum(row['n'] for row in counted)} of them had been counted",
        )  # fmt: skip
    return invalidated


def _counted_by_country(batch: Invalidation) -> list[dict[str, Any]]:
    rows = Signature.objects.filter(invalidation=batch, counted=True).values("country")
    return [dict(row) for row in rows.annotate(n=Count("id")).order_by()]


def _counted_ids(batch: Invalidation) -> list[int]:
    rows = Signature.objects.filter(invalidation=batch, counted=True).order_by("id")
    return list(rows.values_list("id", flat=True))


def public_reason(criteria: dict[str, Any]) -> str:
    """What the public log says about an invalidation: which kinds of criteria matched (the
    keys, never their values, which can be a name or an address)."""
    return "invalidated: " + ",".join(key for key in MATCHING_KEYS if criteria.get(key))


def revert_invalidation(invalidation: Invalidation, *, acting_user: Any) -> int:
    """Make valid again exactly the signatures this batch invalidated, and put the counted
    ones back on the count; returns how many. Refused (returns 0) unless the batch is applied.

    The signers' confirmation emails are not sent again: they were sent, or stopped, before.
    """
    now = timezone.now()
    with transaction.atomic():
        batch = (
            Invalidation.objects.select_for_update()
            .select_related("petition__case")
            .filter(pk=invalidation.pk, status=InvalidationStatus.APPLIED)
            .first()
        )
        if batch is None:
            return 0
        rows = Signature.objects.filter(invalidation=batch)
        # As in apply_invalidation: the UPDATE locks the rows, then their `counted` is final.
        restored = rows.update(invalidated_at=None)
        counted = _counted_by_country(batch)
        signals.counted.send(Signature, signature_ids=_counted_ids(batch))
        history.add_to_history(history.deltas_of(rows.filter(counted=True)))
        rows.update(invalidation=None)
        for row in counted:
            add_to_count(batch.petition_id, row["country"], row["n"], now)
        history.cross_milestones(batch.petition_id, now)
        batch.status, batch.reverted_at, batch.reverted_by = (
            InvalidationStatus.REVERTED, now, acting_user
        )  # fmt: skip
        batch.save(update_fields=["status", "reverted_at", "reverted_by"])
        record(
            AuditAction.INVALIDATION_REVERTED, user=acting_user,
            organisation_id=batch.petition.case.organisation_id, petition_id=batch.petition_id,
            subject=str(batch), row_count=restored,
        )  # fmt: skip
    return restored


def held_signatures(
    petition: Petition, reason: str, created_from: datetime | None, created_to: datetime | None
) -> QuerySet[Signature]:
    """Valid signatures held for `reason` (or for any reason: HELD_ANY), in the window."""
    rows = Signature.objects.filter(petition=petition).held()
    if reason != HELD_ANY:
        rows = rows.filter(held_reason=reason)
    if created_from is not None:
        rows = rows.filter(created_at__gte=created_from)
    if created_to is not None:
        rows = rows.filter(created_at__lt=created_to)
    return rows


def release_held(
    petition: Petition,
    reason: str,
    *,
    created_from: datetime | None = None,
    created_to: datetime | None = None,
    acting_user: Any,
) -> int:
    """Stop holding these signatures back; the counting job then counts the confirmed ones
    (they are still uncounted: the job skips held rows). Returns how many were released."""
    with transaction.atomic():
        released = held_signatures(petition, reason, created_from, created_to).update(
            held_reason=HeldReason.NONE
        )
        record(
            AuditAction.HELD_RELEASED, user=acting_user,
            organisation_id=petition.case.organisation_id, petition_id=petition.pk,
            subject=f"held: {reason}", row_count=released,
        )  # fmt: skip
    return released
