"""The back office's API keys: admins make one (shown once), see it listed by its prefix,
revoke it; each step is on the audit log. The petition's partner page sets the policy."""

from __future__ import annotations

import pytest

from tests.factories import make_organisation, make_petition, make_staff
from tests.partners.helpers import get, make_key, petition_url, post, signer
from tests.sign_in import sign_in
from undersigned.audit.models import AuditAction, AuditLogEntry
from undersigned.campaigns.models import Role
from undersigned.partners.models import ApiKey
from undersigned.partners.selectors import accepts_partner_verified
from undersigned.partners.services import set_partner_verified
from undersigned.signatures.services import count_new_confirmations

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client):
    petition = make_petition()
    user = make_staff(petition.case.organisation, Role.ADMIN)
    sign_in(client, user)
    return user, petition


def test_an_admin_makes_a_key_that_is_shown_once_and_works(client, admin):
    user, petition = admin
    organisation = petition.case.organisation
    response = client.post("/staff/api-keys/", {
        "organisation": organisation.pk, "name": "CiviCRM sync",
        "scopes": ["read_signatures", "record_signatures"],
    })  # fmt: skip
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = response.context["created"].key
    assert key in response.content.decode()
    assert key not in client.get("/staff/api-keys/").content.decode()  # never again
    row = ApiKey.objects.get()
    assert (row.name, row.scopes) == ("CiviCRM sync", ["read_signatures", "record_signatures"])
    assert get(client, petition_url(petition), key).status_code == 200
    entry = AuditLogEntry.objects.get(action=AuditAction.API_KEY_CREATED)
    assert entry.user_id == user.pk and key not in entry.subject + entry.detail


def test_the_list_shows_prefix_name_scopes_and_last_use(client, admin):
    _user, petition = admin
    key = make_key(petition.case.organisation, name="Partner: Riverside")
    get(client, petition_url(petition), key)
    page = client.get("/staff/api-keys/").content.decode()
    row = ApiKey.objects.get()
    assert f"usk_{row.prefix}" in page and "Partner: Riverside" in page
    assert "read_personal_data" in page
    assert "never" not in page.split("Partner: Riverside")[1].split("</tr>")[0]


def test_revoking_stops_the_key_at_once_and_is_audited(client, admin):
    user, petition = admin
    key = make_key(petition.case.organisation)
    row = ApiKey.objects.get()
    response = client.post(f"/staff/api-keys/{row.pk}/revoke/")
    assert response.status_code == 303
    assert get(client, petition_url(petition), key).status_code == 401
    assert AuditLogEntry.objects.filter(
        action=AuditAction.API_KEY_REVOKED, user_id=user.pk
    ).exists()


def test_a_key_without_a_name_or_scope_is_refused_with_the_error_summary(client, admin):
    _user, petition = admin
    response = client.post("/staff/api-keys/", {
        "organisation": petition.case.organisation.pk, "name": "  ",
        "scopes": ["read_personal_data"],
    })  # fmt: skip
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="error-summary"' in page
    assert "needs “read signatures” too" in page
    assert not ApiKey.objects.exists()


def test_an_admin_cannot_make_a_key_for_another_organisation(client, admin):
    other = make_organisation()
    response = client.post("/staff/api-keys/", {
        "organisation": other.pk, "name": "x", "scopes": ["read_signatures"],
    })  # fmt: skip
    assert response.status_code == 422
    assert not ApiKey.objects.exists()


def test_an_admin_of_another_organisation_cannot_revoke_our_key(client):
    petition = make_petition()
    make_key(petition.case.organisation)
    sign_in(client, make_staff(make_organisation(), Role.ADMIN))
    assert client.post(f"/staff/api-keys/{ApiKey.objects.get().pk}/revoke/").status_code == 404
    assert ApiKey.objects.get().revoked_at is None


def test_an_admin_allows_partner_verified_signatures_and_it_is_audited(client, admin):
    user, petition = admin
    url = f"/staff/petitions/{petition.slug}/partners/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"accepts_partner_verified": "on"})
    assert response.status_code == 303
    assert accepts_partner_verified(petition)
    entry = AuditLogEntry.objects.get(action=AuditAction.PARTNER_VERIFIED_CHANGED)
    assert entry.user_id == user.pk and "allowed" in entry.detail
    client.post(url, {})
    assert not accepts_partner_verified(petition)


def test_an_editor_sees_the_partner_page_but_cannot_change_the_policy(client):
    petition = make_petition()
    sign_in(client, make_staff(petition.case.organisation, Role.EDITOR))
    url = f"/staff/petitions/{petition.slug}/partners/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"accepts_partner_verified": "on"}).status_code == 403
    assert client.get("/staff/api-keys/").status_code == 403


def test_the_partner_page_counts_what_each_key_recorded(client, admin):
    _user, petition = admin
    set_partner_verified(petition, True, acting_user=None)
    key = make_key(petition.case.organisation, name="Riverside NGO")
    post(client, petition_url(petition, "signatures/"), key, signer(partner_verified=True))
    count_new_confirmations()
    response = client.get(f"/staff/petitions/{petition.slug}/partners/")
    rows = response.context["by_key"]
    assert [(r["key"].name, r["recorded"], r["counting"], r["partner_verified"]) for r in rows] == [
        ("Riverside NGO", 1, 1, 1)
    ]
    assert response.context["counts"] == {"recorded_by_partners": 1, "partner_verified": 1}
