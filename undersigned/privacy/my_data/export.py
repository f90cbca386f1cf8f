"""The signer's download: everything we hold under their address, as JSON.

Every field of their signatures that is about them, with the consent record (the exact wording
and notice version they agreed to), their recent data requests, and what other apps registered
in core.personal_data hold under the address (one key per app). Left out on purpose: keys
that open links (confirmation key, link hashes) — they are ours, and a leaked download must not
open anything — and the outbox's bookkeeping (attempt counters, leases).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.utils import timezone

from undersigned.core import personal_data
from undersigned.privacy.models import DataRequest, DataSession
from undersigned.privacy.my_data.services import signatures_of
from undersigned.signatures.models import HeldReason, Signature
from undersigned.signatures.normalise import stored_under


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _signature(row: Signature) -> dict[str, Any]:
    petition = row.petition
    consent = row.consent_wording
    return {
        "petition": {
            "title": petition.title,
            "slug": petition.slug,
            "case": petition.case.title,
            "organisation": petition.case.organisation.name,
        },
        "name": row.name,
        "email": row.email,
        "email_normalised": row.email_normalised,
        "email_domain": row.email_domain,
        "country": str(row.country),
        "language": row.language,
        "signed_at": _when(row.created_at),
        "confirmed_at": _when(row.confirmed_at),
        "invalidated_at": _when(row.invalidated_at),
        "held_for_review": row.held_reason != HeldReason.NONE,
        "counted_in_public_total": row.counted and row.invalidated_at is None,
        "updates_opt_in": row.updates_opt_in,
        "consent": {
            "agreed_at": _when(row.created_at),
            "privacy_notice_version": consent.notice_version if consent else None,
            "language": consent.language if consent else None,
            "wording": consent.wording if consent else None,
            "updates_opt_in": row.updates_opt_in,
        },
        "network": {
            "subnet": row.client_subnet or None,
            "address_hash": row.client_hash or None,
        },
        "last_emailed_at": _when(row.email_sent_at),
        "email_undeliverable_since": _when(row.email_failed_at),
    }


def my_data_json(session: DataSession) -> bytes:
    address = session.email
    signatures = (
        signatures_of(address)
        .select_related("petition__case__organisation", "consent_wording")
        .order_by("created_at", "id")
    )
    requests = stored_under(
        DataRequest.objects.filter(email_normalised=session.email_normalised), address
    ).order_by("created_at")
    data = {
        "generated_at": timezone.now().isoformat(),
        "email": address,
        "email_normalised": session.email_normalised,
        "signatures": [_signature(row) for row in signatures],
        "data_requests": [
            {
                "email": row.email,
                "requested_at": _when(row.created_at),
                "emailed_at": _when(row.email_sent_at),
                "link_used_at": _when(row.used_at),
            }
            for row in requests
        ],
        # What other apps hold under the address (public petitions, update emails), by name.
        **personal_data.export_everything(address),
    }
    return json.dumps(data, ensure_ascii=False, indent=2).encode()
