"""Moderators' writes that start here; the signature rows themselves are changed by
signatures/invalidation.py (in the worker, for a bulk invalidation)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from undersigned.audit.models import AuditAction
from undersigned.audit.services import record
from undersigned.core import ratelimit
from undersigned.moderation.tasks import invalidate_signatures
from undersigned.petitions.models import Petition
from undersigned.signatures import invalidation as inv
from undersigned.signatures.models import Invalidation

# What the audit log says a preview matched on: the kinds of criteria, never their values
# (an address label, a domain or a name pattern could point at a person).
_CRITERION_KINDS = {
    inv.ADDRESS_HASH: "network address",
    inv.SUBNET_RANGE: "network range",
    inv.EMAIL_DOMAIN: "email domain",
    inv.COUNTRY: "country",
    inv.NAME_PATTERN: "name pattern",
    inv.CREATED_FROM: "signed from",
    inv.CREATED_TO: "signed before",
    inv.HELD: "held",
}


def preview_allowed(*, acting_user: Any) -> bool:
    """Count one preview for this staff member; False beyond the "moderation_previews" limit.

    Counted in the cache per account (core/ratelimit.py), so an automated moderator cannot
    turn the preview's count into a fast oracle.
    """
    return not ratelimit.over("moderation_previews", str(acting_user.pk))


def record_preview(
    petition: Petition, *, criteria: dict[str, Any], count: int, acting_user: Any
) -> None:
    """Put a preview on the audit log: who, which petition, how many matched and the kinds of
    criteria used — not what was typed."""
    kinds = [name for key, name in _CRITERION_KINDS.items() if criteria.get(key)]
    record(
        AuditAction.INVALIDATION_PREVIEWED, user=acting_user,
        organisation_id=petition.case.organisation_id, petition_id=petition.pk,
        subject=petition.title, row_count=count,
        detail="criteria: " + ", ".join(kinds),
    )  # fmt: skip


def queue_invalidation(
    petition: Petition,
    *,
    criteria: dict[str, Any],
    reason: str,
    previewed_count: int,
    acting_user: Any,
) -> Invalidation:
    """Record the batch as queued and hand it to the worker once the record is committed.

    A batch can touch a million rows: the request never waits for that.
    """
    person = acting_user if acting_user is not None and acting_user.is_authenticated else None
    batch = Invalidation.objects.create(
        petition=petition, criteria=criteria, reason=reason, previewed_count=previewed_count,
        created_by=person,
    )  # fmt: skip
    record(
        AuditAction.INVALIDATION_QUEUED, user=acting_user,
        organisation_id=petition.case.organisation_id, petition_id=petition.pk,
        subject=str(batch), row_count=previewed_count, detail=reason[:500],
    )  # fmt: skip
    transaction.on_commit(lambda: invalidate_signatures.enqueue(batch.pk))
    return batch
