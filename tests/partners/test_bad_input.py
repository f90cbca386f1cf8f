"""Bad input to the private API is a 4xx with the reason, never a 500."""

from __future__ import annotations

import base64

import pytest

from tests.factories import make_petition
from tests.partners.helpers import get, make_key, petition_url, post, signer
from undersigned.signatures.models import Signature

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    petition = make_petition()
    return petition, make_key(petition.case.organisation)


def test_an_unknown_field_is_refused_naming_it(client, setup):
    petition, key = setup
    response = post(client, petition_url(petition, "signatures/"), key, signer(nickname="Ada"))
    assert response.status_code == 422
    assert "nickname" in response.json()["detail"]
    assert not Signature.objects.exists()


def test_a_wrong_type_is_refused_naming_the_field(client, setup):
    petition, key = setup
    response = post(client, petition_url(petition, "signatures/"), key, signer(updates_opt_in=[1]))
    assert response.status_code == 422
    assert "updates_opt_in" in response.json()["errors"]


def test_a_body_that_is_not_json_is_a_4xx(client, setup):
    petition, key = setup
    response = post(client, petition_url(petition, "signatures/"), key, "{not json")
    assert 400 <= response.status_code < 500
    assert response.json()["detail"]


def test_an_oversized_body_is_refused_with_413_in_json(client, setup):
    petition, key = setup
    response = post(client, petition_url(petition, "signatures/"), key,
                    signer(consent_wording="x" * 40_000))  # fmt: skip
    assert response.status_code == 413
    assert "KB" in response.json()["detail"]


def test_an_unknown_language_is_refused(client, setup):
    petition, key = setup
    response = post(client, petition_url(petition, "signatures/"), key, signer(language="xx"))
    assert response.status_code == 422
    assert "language" in response.json()["errors"]


def test_a_forged_cursor_is_400_and_a_bad_since_422(client, setup):
    petition, key = setup
    url = petition_url(petition, "signatures/")
    assert get(client, url, key, cursor="bm9wZQ").status_code == 400
    # Well-formed but impossible dates inside a cursor (base64 of "v1|2026-13-45T…|…").
    forged = base64.urlsafe_b64encode(b"v1|2026-13-45T00:00:00|2026-01-01T00:00:00|sig_x").decode()
    assert get(client, url, key, cursor=forged).status_code == 400
    assert get(client, url, key, since="yesterday").status_code == 422
    assert get(client, url, key, limit="100000").status_code == 422


def test_a_petition_identifier_that_is_none_of_ours_is_404(client, setup):
    _petition, key = setup
    for identifier in ("pet_aaaaaaaaaaaaaaaaaaaaaaaaaa", "1", "sig_" + "a" * 26, "x" * 500):
        response = get(client, f"/api/private/v1/petitions/{identifier}/", key)
        assert response.status_code == 404, identifier


def test_text_that_no_database_can_store_is_refused(client, setup):
    """Found by the fuzzer on PostgreSQL: a NUL in the consent wording was a 500."""
    petition, key = setup
    url = petition_url(petition, "signatures/")
    response = post(client, url, key, signer(consent_wording="I agree\u0000"))
    assert response.status_code == 422
    assert "consent_wording" in response.json()["errors"]
    raw = '{"person": {"given_name": "\\ud800", "email_addresses": [{"address": "a@example.org"}],'
    raw += ' "postal_addresses": [{"country": "GB"}]}, "consent_wording": "ok"}'
    assert post(client, url, key, raw).status_code == 422
