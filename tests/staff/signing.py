"""Signatures made directly in the database, in whatever state a test needs."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from undersigned.petitions.models import Petition
from undersigned.signatures.models import Signature

_sequence = itertools.count(1)


def signature(petition: Petition, **fields: Any) -> Signature:
    """Confirmed now, from Germany, unless told otherwise."""
    return Signature(**_fields(petition, fields))


def make_signature(petition: Petition, **fields: Any) -> Signature:
    return Signature.objects.create(**_fields(petition, fields))


def make_signatures(petition: Petition, count: int, **fields: Any) -> None:
    Signature.objects.bulk_create(signature(petition, **fields) for _ in range(count))


def pending(now: datetime | None = None) -> dict[str, Any]:
    """The fields of a signature still waiting for its confirmation."""
    now = now or timezone.now()
    return {"confirmed_at": None, "confirmation_expires_at": now + timedelta(days=1)}


def expired(now: datetime | None = None) -> dict[str, Any]:
    """The fields of a signature whose confirmation link ran out unused."""
    now = now or timezone.now()
    return {"confirmed_at": None, "confirmation_expires_at": now - timedelta(hours=1)}


def _fields(petition: Petition, fields: dict[str, Any]) -> dict[str, Any]:
    n = next(_sequence)
    now = timezone.now()
    email = fields.pop("email", f"signer{n}@example.org")
    return {
        "petition": petition, "name": f"Signer {n}", "email": email,
        "email_normalised": email.lower(), "country": "DE", "confirmation_key": f"key-{n}",
        "confirmation_expires_at": now + timedelta(days=1), "confirmed_at": now,
        **fields,
    }  # fmt: skip
