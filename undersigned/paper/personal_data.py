"""The personal data the paper app holds — a paper signer's normalised email address, kept to
stop the same person counting twice — found, exported and erased by that address
(core/personal_data.py), and removed once the petition's online signers' data is gone.

Only the normalised address is stored (paper/models.py), so a "manage my data" link opens
paper signatures only when the address it was sent to *is* its normalised form (no +tag,
local part in lower case…): receiving mail at `victim+x@…` proves nothing about `victim@…`
(docs/privacy.md, "Which address a link opens").

Erasing keeps the signature counted and takes its address off: the signed sheet itself still
exists and the count it makes is public (the transparency log holds the batch's number), but
nothing here can be tied to the person any more — as retention anonymises an online signature.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef

from undersigned.audit.models import AuditAction
from undersigned.audit.services import record
from undersigned.paper.models import PaperSignature
from undersigned.petitions.models import Petition, PetitionStatus
from undersigned.signatures.models import Signature
from undersigned.signatures.normalise import mailbox, normalise_email


def _under(address: str) -> Any:
    key = normalise_email(address)
    if mailbox(address) != key:
        return PaperSignature.objects.none()
    return PaperSignature.objects.filter(email_normalised=key)


def export_personal_data(address: str) -> list[dict[str, Any]]:
    rows = _under(address).select_related("petition", "batch").order_by("id")
    return [
        {"petition": row.petition.slug, "country": str(row.country),
         "sheet_reference": row.batch.sheet_reference,
         "added_on": row.batch.applied_at.date().isoformat() if row.batch.applied_at else None}
        for row in rows
    ]  # fmt: skip


def erase_personal_data(address: str) -> int:
    return _under(address).update(email_normalised="")


def forget_addresses_no_longer_needed() -> int:
    """Clear the paper addresses of closed petitions none of whose online signatures keeps
    personal data (retention anonymised them all, or there were none): the address is there
    to find duplicates, and its petition's own retention has come due. One UPDATE; audited
    per petition with the number only."""
    unanonymised = Signature.objects.filter(petition=OuterRef("pk"), anonymised_at__isnull=True)
    due = Petition.objects.filter(status=PetitionStatus.CLOSED).exclude(Exists(unanonymised))
    with transaction.atomic():
        rows = PaperSignature.objects.filter(petition__in=due).exclude(email_normalised="")
        touched = dict(
            Petition.objects.filter(pk__in=rows.values("petition_id")).values_list(
                "pk", "case__organisation_id"
            )
        )
        changed = rows.update(email_normalised="")
        for petition_id, organisation_id in sorted(touched.items()):
            record(
                AuditAction.RETENTION_RUN, organisation_id=organisation_id,
                petition_id=petition_id, subject="paper signatures",
                detail="paper signers' email addresses removed",
            )  # fmt: skip
    return changed
