"""Through the session: seeing one's signatures, withdrawing, unsubscribing, downloading."""

from __future__ import annotations

import json

import pytest
from django.db.models import Sum

from tests.factories import (
    form_token_data,
    make_case,
    make_organisation,
    make_petition,
    make_signature,
)
from tests.privacy.my_data_helpers import open_my_data
from undersigned.audit.models import AuditAction, AuditLogEntry
from undersigned.petitions.models import Petition, PetitionStatus
from undersigned.signatures.models import ConsentWording, Signature, SignatureCount
from undersigned.signatures.services import count_new_confirmations, recount_petition

pytestmark = pytest.mark.django_db


def public_count(petition: Petition) -> int:
    return SignatureCount.objects.filter(petition=petition).aggregate(n=Sum("count"))["n"] or 0


def close(petition: Petition) -> None:
    Petition.objects.filter(pk=petition.pk).update(status=PetitionStatus.CLOSED)


def withdraw(client, signature: Signature):
    return client.post(
        "/my-data/you/withdraw/", {**form_token_data(), "signature": str(signature.pk)}
    )


def test_signer_sees_what_they_signed_in_every_organisation_and_nothing_else(client):
    first = make_petition(title_en="Free the press")
    second = make_petition(
        title_en="Save the river", case=make_case(organisation=make_organisation())
    )
    make_signature(first, email="jane@example.org")
    make_signature(second, email="jane@example.org")
    make_signature(make_petition(title_en="Someone else's cause"), email="other@example.org")
    open_my_data(client, "jane@example.org")
    page = client.get("/my-data/you/").content.decode()
    assert "Free the press" in page and "Save the river" in page
    assert "Someone else" not in page
    assert "no-store" in client.get("/my-data/you/")["Cache-Control"]


def test_withdrawing_a_counted_signature_takes_exactly_one_off_the_count(client):
    petition = make_petition()
    mine = make_signature(petition, email="jane@example.org", country="FR")
    for _ in range(3):
        make_signature(petition, country="FR")
    count_new_confirmations()
    assert public_count(petition) == 4
    open_my_data(client, "jane@example.org")
    response = withdraw(client, mine)
    assert response["Location"] == "/my-data/you/?done=withdrawn"
    assert not Signature.objects.filter(pk=mine.pk).exists()
    count_new_confirmations()
    assert public_count(petition) == 3
    assert recount_petition(petition.pk) == 3, "the count still equals the rows"


def test_withdrawing_an_unconfirmed_signature_leaves_the_count_alone(client):
    petition = make_petition()
    make_signature(petition)
    pending = make_signature(petition, email="jane@example.org", confirmed_at=None)
    count_new_confirmations()
    open_my_data(client, "jane@example.org")
    withdraw(client, pending)
    assert not Signature.objects.filter(pk=pending.pk).exists()
    assert public_count(petition) == 1


def test_signature_on_a_closed_petition_cannot_be_withdrawn(client):
    petition = make_petition()
    mine = make_signature(petition, email="jane@example.org")
    count_new_confirmations()
    close(petition)
    open_my_data(client, "jane@example.org")
    assert "Withdraw my signature" not in client.get("/my-data/you/").content.decode()
    response = withdraw(client, mine)
    assert response["Location"] == "/my-data/you/?done=closed"
    assert Signature.objects.filter(pk=mine.pk).exists()
    assert public_count(petition) == 1


def test_no_one_can_withdraw_someone_elses_signature(client):
    petition = make_petition()
    make_signature(petition, email="jane@example.org")
    theirs = make_signature(petition, email="other@example.org")
    open_my_data(client, "jane@example.org")
    withdraw(client, theirs)
    assert Signature.objects.filter(pk=theirs.pk).exists()


def test_withdrawal_is_audited_without_naming_the_signer(client):
    petition = make_petition()
    mine = make_signature(petition, email="jane@example.org", name="Jane Doe")
    open_my_data(client, "jane@example.org")
    withdraw(client, mine)
    entry = AuditLogEntry.objects.get(action=AuditAction.SIGNER_WITHDREW)
    assert (entry.petition_id, entry.row_count) == (petition.pk, 1)
    assert entry.organisation_id == petition.case.organisation_id
    text = f"{entry.subject} {entry.detail} {entry.username}".lower()
    assert "jane" not in text and "example.org" not in text


def test_unsubscribing_stops_updates_from_that_organisation_only(client):
    petition = make_petition()
    elsewhere = make_petition(case=make_case(organisation=make_organisation()))
    mine = make_signature(petition, email="jane@example.org", updates_opt_in=True)
    other_org = make_signature(elsewhere, email="jane@example.org", updates_opt_in=True)
    open_my_data(client, "jane@example.org")
    response = client.post(
        "/my-data/you/unsubscribe/", {**form_token_data(), "signature": str(mine.pk)}
    )
    assert response["Location"] == "/my-data/you/?done=unsubscribed"
    mine.refresh_from_db()
    other_org.refresh_from_db()
    assert (mine.updates_opt_in, other_org.updates_opt_in) == (False, True)


def test_bad_signature_choice_changes_nothing(client):
    petition = make_petition()
    mine = make_signature(petition, email="jane@example.org")
    open_my_data(client, "jane@example.org")
    for value in ("", "abc", "-1", "9" * 40):
        response = client.post("/my-data/you/withdraw/", {**form_token_data(), "signature": value})
        assert response.status_code == 303
    assert Signature.objects.filter(pk=mine.pk).exists()


def _download(client, email: str) -> dict:
    client.cookies.clear()
    open_my_data(client, email)
    response = client.get("/my-data/you/my-data.json")
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    return json.loads(response.content)


def test_download_contains_all_and_only_the_signers_data(client):
    consent = ConsentWording.objects.create(
        notice_version="2026-01", language="de", wording="Ich stimme zu.", digest="d" * 64
    )
    first = make_petition(title_en="Free the press")
    second = make_petition(title_en="Save the river")
    jane = [
        make_signature(first, email="jane@example.org", name="Jane Doe", country="FR",
                      consent_wording=consent, updates_opt_in=True, language="de"),
        make_signature(second, email="jane@example.org", name="Jane D.", confirmed_at=None),
    ]  # fmt: skip
    ann = make_signature(first, email="ann@example.org", name="Ann Other", country="ES")

    jane_data = _download(client, "jane@example.org")
    ann_data = _download(client, "ann@example.org")

    assert [row["name"] for row in jane_data["signatures"]] == ["Jane Doe", "Jane D."]
    assert [row["name"] for row in ann_data["signatures"]] == ["Ann Other"]
    signed = jane_data["signatures"][0]
    assert signed["petition"]["title"] == "Free the press"
    assert signed["email"] == "jane@example.org" and signed["country"] == "FR"
    assert signed["consent"] == {
        "agreed_at": jane[0].created_at.isoformat(), "privacy_notice_version": "2026-01",
        "language": "de", "wording": "Ich stimme zu.", "updates_opt_in": True,
    }  # fmt: skip
    assert jane_data["signatures"][1]["confirmed_at"] is None
    assert len(jane_data["data_requests"]) == 1
    jane_text, ann_text = json.dumps(jane_data), json.dumps(ann_data)
    assert "ann" not in jane_text.lower() and "Ann Other" not in jane_text
    assert "jane" not in ann_text.lower()
    for row in (*jane, ann):
        assert row.confirmation_key not in jane_text + ann_text, "no internal keys"
    assert "key_hash" not in jane_text and "confirmation" not in jane_text
