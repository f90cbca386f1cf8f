"""Keys and requests for the partner API's tests."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from undersigned.core.opaque_ids import opaque_id
from undersigned.partners.models import Scope
from undersigned.partners.services import create_api_key

EVERY_SCOPE = [Scope.READ_SIGNATURES, Scope.READ_PERSONAL_DATA, Scope.RECORD_SIGNATURES]
CONSENT = "I agree that Riverside NGO passes my name and country to the petition's organisers."


def make_key(organisation: Any, scopes: list[str] | None = None, name: str = "CRM sync") -> str:
    return create_api_key(
        organisation, name=name, scopes=EVERY_SCOPE if scopes is None else scopes,
        acting_user=None,
    ).key  # fmt: skip


def petition_url(petition: Any, tail: str = "") -> str:
    return f"/api/private/v1/petitions/{opaque_id('petition', petition.pk)}/{tail}"


def signer(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "person": {
            "given_name": "Ada",
            "family_name": "Lovelace",
            "email_addresses": [{"address": "ada@example.org"}],
            "postal_addresses": [{"country": "GB"}],
        },
        "consent_wording": CONSENT,
        "source": "street-team",
    }
    body.update(overrides)
    return body


def get(client: Client, url: str, key: str, **params: Any) -> Any:
    return client.get(url, params, headers={"Authorization": f"Bearer {key}"})


def post(client: Client, url: str, key: str, body: Any) -> Any:
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post(url, data, content_type="application/json", headers={"X-Api-Key": key})
