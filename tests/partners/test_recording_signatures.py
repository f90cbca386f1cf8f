"""OSDI's record signature helper: a partner sends a signer; the web form's rules apply, the
signer confirms from the email, and only then does the signature count and get listed."""

from __future__ import annotations

import re

import pytest

from tests.factories import form_token_data, make_organisation, make_petition
from tests.fixtures.smtp import text_body
from tests.partners.helpers import CONSENT, get, make_key, petition_url, post, signer
from undersigned.audit.models import AuditAction, AuditLogEntry
from undersigned.partners.models import RecordedSignature, Scope
from undersigned.partners.services import set_partner_verified
from undersigned.petitions.models import PetitionStatus
from undersigned.signatures.emails import send_due_emails
from undersigned.signatures.models import Signature
from undersigned.signatures.services import count_new_confirmations

pytestmark = pytest.mark.django_db
CONFIRM_LINK = re.compile(r"/confirm/([^/\s]+)/")


def test_recorded_then_confirmed_from_the_email_then_listed_by_the_api(client, smtp_sink):
    petition = make_petition()
    key = make_key(petition.case.organisation)
    response = post(client, petition_url(petition, "signatures/"), key, signer())
    assert response.status_code == 202
    assert response.json()["status"] == "pending_confirmation"
    assert get(client, petition_url(petition, "signatures/"), key).json()["signatures"] == []

    send_due_emails()
    message = smtp_sink.wait_for(1)[0]
    assert message["To"] == "ada@example.org"
    token = CONFIRM_LINK.search(text_body(message)).group(1)  # type: ignore[union-attr]
    assert client.post(f"/confirm/{token}/", form_token_data()).status_code == 303
    count_new_confirmations()

    listed = get(client, petition_url(petition, "signatures/"), key).json()["signatures"]
    assert len(listed) == 1
    person = listed[0]["person"]
    assert person["given_name"] == "Ada Lovelace"
    assert person["email_addresses"] == [{"address": "ada@example.org", "primary": True}]
    assert person["postal_addresses"] == [{"country": "GB"}]
    assert listed[0]["identifiers"][0].startswith("undersigned:sig_")
    assert listed[0]["recorded_by_partner"] is True
    assert listed[0]["partner_verified"] is False
    resource = get(client, petition_url(petition), key).json()
    assert resource["total_signatures"] == 1
    assert resource["counts"]["confirmed_by_email"] == 1


def test_the_signature_keeps_the_partners_consent_wording_and_source(client):
    petition = make_petition()
    post(client, petition_url(petition, "signatures/"), make_key(petition.case.organisation),
         signer(source="Street-Team", updates_opt_in=True))  # fmt: skip
    signature = Signature.objects.select_related("consent_wording").get()
    assert signature.consent_wording is not None
    assert signature.consent_wording.wording == CONSENT
    assert (signature.source, signature.source_medium) == ("street-team", "api")
    assert signature.updates_opt_in is True
    assert signature.confirmed_at is None


def test_each_recorded_signature_is_audited_with_the_keys_name(client):
    petition = make_petition()
    key = make_key(petition.case.organisation, name="Riverside NGO")
    post(client, petition_url(petition, "signatures/"), key, signer())
    entry = AuditLogEntry.objects.get(action=AuditAction.API_SIGNATURE_RECORDED)
    assert entry.username.startswith("API key Riverside NGO (usk_")
    assert key not in entry.username and "ada@" not in entry.detail + entry.subject
    assert entry.organisation_id == petition.case.organisation_id


def test_an_address_that_signed_is_answered_alike_and_stays_one_signature(client):
    petition = make_petition()
    key = make_key(petition.case.organisation)
    first = post(client, petition_url(petition, "signatures/"), key, signer())
    again = signer()
    again["person"]["email_addresses"] = [{"address": "Ada@Example.org"}]
    second = post(client, petition_url(petition, "signatures/"), key, again)
    assert (first.status_code, first.json()) == (second.status_code, second.json())
    assert Signature.objects.count() == 1
    assert RecordedSignature.objects.count() == 1


def test_a_disposable_address_is_refused_as_on_the_web_form(client):
    petition = make_petition()
    body = signer()
    body["person"]["email_addresses"] = [{"address": "someone@mailinator.com"}]
    response = post(client, petition_url(petition, "signatures/"),
                    make_key(petition.case.organisation), body)  # fmt: skip
    assert response.status_code == 422
    assert "person.email_addresses.0.address" in response.json()["errors"]
    assert not Signature.objects.exists()


def test_a_closed_petition_takes_no_signature(client):
    petition = make_petition(status=PetitionStatus.CLOSED)
    response = post(client, petition_url(petition, "signatures/"),
                    make_key(petition.case.organisation), signer())  # fmt: skip
    assert response.status_code == 409


def test_a_key_without_the_record_scope_cannot_record(client):
    petition = make_petition()
    key = make_key(petition.case.organisation, [Scope.READ_SIGNATURES])
    assert post(client, petition_url(petition, "signatures/"), key, signer()).status_code == 403
    assert not Signature.objects.exists()


def test_another_organisations_key_cannot_record_on_the_petition(client):
    petition = make_petition()
    key = make_key(make_organisation())
    assert post(client, petition_url(petition, "signatures/"), key, signer()).status_code == 404
    assert not Signature.objects.exists()


def test_partner_verified_is_refused_where_the_petition_does_not_accept_it(client):
    petition = make_petition()
    key = make_key(petition.case.organisation)
    url = petition_url(petition, "signatures/")
    response = post(client, url, key, signer(partner_verified=True))
    assert response.status_code == 403
    assert "partner-verified" in response.json()["detail"]
    assert not Signature.objects.exists()


def test_partner_verified_counts_without_email_and_is_counted_separately(client, smtp_sink):
    petition = make_petition()
    set_partner_verified(petition, True, acting_user=None)
    key = make_key(petition.case.organisation)
    response = post(client, petition_url(petition, "signatures/"), key,
                    signer(partner_verified=True))  # fmt: skip
    assert response.json()["status"] == "partner_verified"
    post(client, petition_url(petition, "signatures/"), key, signer(person={
        "given_name": "Grace", "email_addresses": [{"address": "grace@example.org"}],
        "postal_addresses": [{"country": "US"}]}))  # fmt: skip
    send_due_emails()
    count_new_confirmations()
    assert [m["To"] for m in smtp_sink.messages] == ["grace@example.org"]  # Ada's was verified
    counts = get(client, petition_url(petition), key).json()["counts"]
    assert counts == {"online": 1, "confirmed_by_email": 0, "partner_verified": 1,
                      "recorded_by_partners": 1, "paper_count": 0,
                      "paper_counts_toward_goal": petition.paper_counts_toward_goal}  # fmt: skip
    listed = get(client, petition_url(petition, "signatures/"), key).json()["signatures"]
    assert [s["partner_verified"] for s in listed] == [True]
    assert AuditLogEntry.objects.filter(action=AuditAction.PARTNER_VERIFIED_CHANGED).exists()
