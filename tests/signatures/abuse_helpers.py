"""Helpers for the abuse tests: signing through the real view, confirming, counting."""

from __future__ import annotations

from typing import Any

from django.test import Client

from tests.factories import sign_form_data
from undersigned.core.linktoken import Kind, token_for
from undersigned.signatures.models import Signature
from undersigned.signatures.services import confirm_signature, count_new_confirmations


def post_sign(client: Client, petition: Any, extra: dict[str, Any] | None = None, **fields: Any):
    """POST the sign form; `extra` are request META values (REMOTE_ADDR, HTTP_X_FORWARDED_FOR)."""
    url = f"/petitions/{petition.slug}/sign/"
    return client.post(url, sign_form_data(**fields), **(extra or {}))


def confirm_all_and_count() -> None:
    for key in Signature.objects.values_list("confirmation_key", flat=True):
        confirm_signature(token_for(Kind.SIGNATURE_CONFIRMATION, key))
    while count_new_confirmations():
        pass


def public_count(client: Client, petition: Any) -> int:
    return client.get(f"/petitions/{petition.slug}/count.json").json()["signature_count"]
