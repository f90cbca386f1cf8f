"""Schemathesis fuzzes the private API from its own OpenAPI document, authenticated with a
real key of every scope on a real petition: whatever it sends — unknown fields, wrong types,
odd cursors, huge numbers — the answer is the documented one, never a 500, and every refusal
says why. On SQLite and on PostgreSQL alike (whichever DATABASE_URL the suite runs on)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import make_petition, make_signatures
from tests.partners.helpers import make_key
from undersigned.config.wsgi import application
from undersigned.core.opaque_ids import opaque_id
from undersigned.partners.api import api as private_api
from undersigned.signatures.services import count_new_confirmations

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def keep_the_test_connection() -> Iterator[None]:
    """As Django's test client does: the WSGI handler must not close the test's database
    connection at the end of each request (it holds the test's transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_world(db: Any, settings: Any, keep_the_test_connection: None) -> dict[str, str]:
    limits = settings.RATE_LIMITS
    settings.RATE_LIMITS = {**limits, "api_requests": (100_000, 60), "api_bad_keys": (100_000, 60)}
    petition = make_petition()
    make_signatures(petition, 3)
    count_new_confirmations()
    return {
        "key": make_key(petition.case.organisation),
        "petition": opaque_id("petition", petition.pk),
    }


def _schema() -> Any:
    """The document the API serves at /api/private/v1/openapi.json, called in-process."""
    loaded = schemathesis.openapi.from_dict(private_api.get_openapi_schema(path_prefix=PREFIX))
    loaded.app = application
    return loaded


PREFIX = "/api/private/v1"
schema = _schema()


@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_the_private_api_answers_every_input_as_documented(case: Any, api_world: dict[str, str]):
    if "petition_id" in (case.path_parameters or {}):
        case.path_parameters["petition_id"] = api_world["petition"]  # reach the real petition
    # The generated security headers are replaced by the real key (the others stay fuzzed).
    headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
    case.headers = {**headers, "X-Api-Key": api_world["key"]}
    response = case.call_and_validate(checks=CHECKS)
    if response.status_code == 405:  # a method the path has not: django-ninja says so in text
        assert response.text and response.headers.get("allow")
    elif response.status_code >= 400:
        assert response.json().get("detail"), f"{response.status_code} without a reason"
