"""Who reaches what through the private API: a key of the petition's own organisation, in a
header, with the scope for the call — and nobody else."""

from __future__ import annotations

import pytest
from django.conf import settings

from tests.factories import make_organisation, make_petition
from tests.partners.helpers import get, make_key, petition_url
from undersigned.partners.models import ApiKey, Scope
from undersigned.partners.services import revoke_api_key

pytestmark = pytest.mark.django_db


def test_a_key_sees_its_own_organisations_petition(client):
    petition = make_petition()
    response = get(client, petition_url(petition), make_key(petition.case.organisation))
    assert response.status_code == 200
    assert response.json()["slug"] == petition.slug


def test_a_second_organisations_key_gets_404_for_the_same_petition(client):
    petition = make_petition()
    stranger = make_key(make_organisation())
    assert get(client, petition_url(petition), stranger).status_code == 404
    assert get(client, petition_url(petition, "signatures/"), stranger).status_code == 404
    listed = get(client, "/api/private/v1/petitions/", stranger).json()
    assert listed["total_records"] == 0


def test_a_revoked_key_gets_401(client):
    petition = make_petition()
    key = make_key(petition.case.organisation)
    assert get(client, petition_url(petition), key).status_code == 200
    revoke_api_key(ApiKey.objects.get(), acting_user=None)
    response = get(client, petition_url(petition), key)
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_no_key_a_forged_key_and_a_wrong_secret_get_401_with_the_reason(client):
    petition = make_petition()
    key = make_key(petition.case.organisation)
    assert client.get(petition_url(petition)).status_code == 401
    assert "Authorization: Bearer" in client.get(petition_url(petition)).json()["detail"]
    assert get(client, petition_url(petition), "not-a-key").status_code == 401
    wrong_secret = key[:-4] + ("aaaa" if not key.endswith("aaaa") else "bbbb")
    response = get(client, petition_url(petition), wrong_secret)
    assert response.status_code == 401
    assert response.json()["detail"] == "This API key is not known."


def test_a_key_in_the_query_string_is_refused_with_400_saying_why(client):
    petition = make_petition()
    key = make_key(petition.case.organisation)
    for params in ({"api_key": key}, {"cursor": key}, {"token": "anything"}):
        response = client.get(petition_url(petition), params)
        assert response.status_code == 400, params
        assert "header" in response.json()["detail"]


def test_the_key_is_stored_only_as_a_hash(client):
    petition = make_petition()
    key = make_key(petition.case.organisation)
    row = ApiKey.objects.values().get()
    assert key not in str(row)
    assert key.startswith(f"usk_{row['prefix']}_")


def test_a_call_outside_the_keys_scopes_is_403(client):
    petition = make_petition()
    key = make_key(petition.case.organisation, [Scope.RECORD_SIGNATURES])
    response = get(client, petition_url(petition, "signatures/"), key)
    assert response.status_code == 403
    assert "read_signatures" in response.json()["detail"]


def test_every_use_is_limited_per_key(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api_requests": (3, 60)}
    petition = make_petition()
    key, other = make_key(petition.case.organisation), make_key(petition.case.organisation)
    codes = [get(client, petition_url(petition), key).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert get(client, petition_url(petition), other).status_code == 200  # per key


def test_guessing_keys_from_one_address_is_slowed_down(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api_bad_keys": (2, 60)}
    petition = make_petition()
    forged = "usk_aaaaaaaa_" + "a" * 52
    codes = [get(client, petition_url(petition), forged).status_code for _ in range(3)]
    assert codes == [401, 401, 429]


def test_using_a_key_stamps_its_last_use(client):
    petition = make_petition()
    key = make_key(petition.case.organisation)
    assert ApiKey.objects.get().last_used_at is None
    get(client, petition_url(petition), key)
    assert ApiKey.objects.get().last_used_at is not None


def test_the_private_api_has_its_own_openapi_document(client):
    document = client.get("/api/private/v1/openapi.json").json()
    assert document["info"]["title"] == "Undersigned private API"
    assert "/api/private/v1/petitions/{petition_id}/signatures/" in document["paths"]
    schemes = document["components"]["securitySchemes"]
    assert {"HeaderKey", "BearerKey"} <= set(schemes)
    assert schemes["HeaderKey"]["name"] == "X-Api-Key"
    public = client.get("/api/v1/openapi.json").json()
    assert not any(path.startswith("/api/private/") for path in public["paths"])
    assert settings.RATE_LIMITS["api_requests"][1] == 60
