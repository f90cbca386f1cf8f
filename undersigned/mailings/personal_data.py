"""A signer's update emails, for "manage my data" (registered with core.personal_data in apps.py).

A delivery row holds no address itself: it points to a signature, so it is found through the
signature's address (exactly that address; core/personal_data.py), and it goes when that
signature is erased (CASCADE); erasing it here first only lets the count say what was removed.
"""

from __future__ import annotations

from typing import Any

from undersigned.mailings.models import UpdateDelivery
from undersigned.mailings.selectors import MAILING_RELATED
from undersigned.signatures.normalise import normalise_email, stored_under


def _of(address: str) -> Any:
    rows = UpdateDelivery.objects.filter(signature__email_normalised=normalise_email(address))
    return stored_under(rows, address, "signature__email")


def export_personal_data(address: str) -> list[dict[str, Any]]:
    """The updates emailed (or about to be) to this address: titles and dates; [] when none."""
    related = [f"mailing__{path}" for path in MAILING_RELATED]
    rows = _of(address).select_related(*related, "signature__petition").order_by("id")
    return [
        {
            "update": row.mailing.title,
            "published_on": row.mailing.created_at.date().isoformat()
            if row.mailing.update is None
            else row.mailing.update.published_on.isoformat(),
            "petition": row.signature.petition.title,
            "sent_at": row.sent_at.isoformat() if row.sent_at else None,
            "skipped_at": row.skipped_at.isoformat() if row.skipped_at else None,
            "failed_at": row.failed_at.isoformat() if row.failed_at else None,
        }
        for row in rows
    ]


def erase_personal_data(address: str) -> int:
    return UpdateDelivery.objects.filter(
        id__in=list(_of(address).values_list("id", flat=True))
    ).delete()[0]
