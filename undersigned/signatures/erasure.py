"""A signer taking their signatures back: withdrawing one, or erasing every one they made.

Both delete rows (not flag them): what the signer asked to be gone is gone, and the rows'
pending emails (the signature is its own outbox; update deliveries cascade) go with them.
A counted signature is taken off the public count in the same transaction, so the count
stays equal to the rows. The audit log says what happened and where — never to whom.
"""

from __future__ import annotations

import enum
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from undersigned.audit.models import AuditAction
from undersigned.audit.services import record
from undersigned.petitions.selectors import accepts_signatures
from undersigned.signatures import history, signals
from undersigned.signatures.models import Signature
from undersigned.signatures.normalise import normalise_email, stored_under
from undersigned.signatures.services import add_to_count


class WithdrawOutcome(enum.Enum):
    WITHDRAWN = "withdrawn"
    PETITION_CLOSED = "closed"
    NOT_FOUND = "not_found"


def _locked_signatures_of(email: str, **only: int) -> list[Signature]:
    """The signatures stored under exactly this address (not under other spellings that
    normalise alike: the signer proved they read this mailbox, not the others)."""
    # FOR UPDATE waits for a counting run that holds these rows, so `counted` is read after it
    # (the counting job skips locked rows, so it cannot count one we are deleting).
    candidates = Signature.objects.filter(email_normalised=normalise_email(email), **only)
    return list(
        stored_under(candidates, email)
        .select_for_update(of=("self",))
        .select_related("petition__case")
        .order_by("id")
    )


def _delete_and_uncount(signatures: list[Signature], reason: str) -> None:
    now = timezone.now()
    counted_ids = [row.pk for row in signatures if row.counted and row.invalidated_at is None]
    signals.uncounted.send(Signature, signature_ids=counted_ids, reason=reason)
    signals.deleted.send(
        Signature, signatures=[(row.pk, row.petition_id) for row in signatures], reason=reason
    )
    uncount = Counter(
        (row.petition_id, str(row.country))
        for row in signatures
        if row.counted and row.invalidated_at is None
    )
    Signature.objects.filter(id__in=[row.pk for row in signatures]).delete()
    for (petition_id, country), n in sorted(uncount.items()):
        add_to_count(petition_id, country, -n, now)
    history.add_to_history(
        history.deltas_of_rows(
            (row for row in signatures if row.counted and row.invalidated_at is None), sign=-1
        )
    )


def withdraw_signature(signature_id: int, email: str) -> WithdrawOutcome:
    """Delete one of this address's signatures, only while its petition takes signatures."""
    with transaction.atomic():
        mine = _locked_signatures_of(email, pk=signature_id)
        if not mine:
            return WithdrawOutcome.NOT_FOUND
        signature = mine[0]
        if not accepts_signatures(signature.petition):
            return WithdrawOutcome.PETITION_CLOSED
        _delete_and_uncount([signature], "withdrawn")
        record(
            AuditAction.SIGNER_WITHDREW,
            organisation_id=signature.petition.case.organisation_id,
            petition_id=signature.petition_id,
            row_count=1,
        )
    return WithdrawOutcome.WITHDRAWN


@dataclass
class Erased:
    signatures: int = 0
    # The addresses as typed when signing, so the caller can find emails sent to them.
    addresses: set[str] = field(default_factory=set)


def erase_signatures_of(email: str) -> Erased:
    """Delete every signature stored under exactly this address, on every petition of every
    organisation, open or closed; one audit entry per petition."""
    with transaction.atomic():
        signatures = _locked_signatures_of(email)
        if not signatures:
            return Erased()
        _delete_and_uncount(signatures, "erased")
        per_petition = Counter(
            (row.petition.case.organisation_id, row.petition_id) for row in signatures
        )
        for (organisation_id, petition_id), n in sorted(per_petition.items()):
            record(
                AuditAction.SIGNER_ERASED,
                organisation_id=organisation_id,
                petition_id=petition_id,
                row_count=n,
            )
    return Erased(len(signatures), {row.email for row in signatures})
