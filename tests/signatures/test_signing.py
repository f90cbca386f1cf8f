"""Signing through the public form: stored pending, answered the same way every time."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.factories import make_petition, sign_form_data
from tests.limits import set_limit
from undersigned.petitions.models import PetitionStatus
from undersigned.signatures.models import EmailDue, Signature
from undersigned.signatures.reminders import owe_requested_reminders
from undersigned.signatures.services import sign_petition

pytestmark = pytest.mark.django_db


def post_sign(client: Client, petition, **overrides):
    return client.post(f"/petitions/{petition.slug}/sign/", sign_form_data(**overrides))


def sign_again(client: Client, petition, **overrides):
    """Sign with a known address, then the worker's round that turns it into an owed email."""
    response = post_sign(client, petition, **overrides)
    owe_requested_reminders()
    return response


def test_signing_stores_a_pending_signature_and_redirects_to_check_your_email(client):
    petition = make_petition()
    response = post_sign(client, petition, name="José Ñúñez", email="jose@example.org")
    assert response.status_code == 303
    assert response["Location"] == f"/petitions/{petition.slug}/check-your-email/"
    signature = Signature.objects.get()
    assert signature.name == "José Ñúñez"
    assert signature.confirmed_at is None
    assert signature.email_due == EmailDue.CONFIRMATION
    assert signature.updates_opt_in is False


@pytest.mark.parametrize("name", ["José Ñúñez", "山田太郎", "O'Brien-Smith", "Zoë Ångström-Łukasz"])
def test_names_in_any_script_are_accepted(client, name):
    petition = make_petition()
    assert post_sign(client, petition, name=name).status_code == 303
    assert Signature.objects.get().name == name


def test_updates_opt_in_is_stored_when_ticked(client):
    petition = make_petition()
    post_sign(client, petition, updates_opt_in="on")
    assert Signature.objects.get().updates_opt_in is True


def test_gmail_variants_are_one_signer(client):
    petition = make_petition()
    post_sign(client, petition, email="Jane.Doe+news@GMAIL.com")
    post_sign(client, petition, email="janedoe@googlemail.com")
    assert Signature.objects.count() == 1


def test_one_address_may_sign_different_petitions(client):
    first, second = make_petition(), make_petition()
    post_sign(client, first)
    post_sign(client, second)
    assert Signature.objects.count() == 2


def _visible(response) -> tuple:
    """Everything a browser (or a curious stranger) can observe of an answer."""
    # X-Request-ID is random per answer (operations/middleware.py): it tells nothing.
    ignored = {"date", "set-cookie", "x-request-id"}
    headers = {k: v for k, v in response.items() if k.lower() not in ignored}
    return response.status_code, headers, response.content


def test_new_pending_and_confirmed_addresses_get_identical_answers(client):
    petition = make_petition()
    new = post_sign(client, petition, email="new@example.org")
    pending = post_sign(client, petition, email="new@example.org")
    Signature.objects.update(confirmed_at=timezone.now())
    confirmed = post_sign(client, petition, email="new@example.org")
    assert _visible(new) == _visible(pending) == _visible(confirmed)


def test_signing_again_while_pending_owes_a_new_link_at_most_three_times_an_hour(client):
    petition = make_petition()
    post_sign(client, petition)
    sent_count = 0
    for _ in range(5):
        Signature.objects.update(email_due=EmailDue.NONE)  # as if the worker sent it
        sign_again(client, petition)
        sent_count += Signature.objects.filter(email_due=EmailDue.CONFIRMATION).count()
    assert sent_count == 3


def test_resend_window_reopens_after_an_hour(client):
    petition = make_petition()
    post_sign(client, petition)
    Signature.objects.update(
        resends_in_window=3, resend_window_started_at=timezone.now() - timedelta(minutes=61),
        email_due=EmailDue.NONE,
    )  # fmt: skip
    sign_again(client, petition)
    assert Signature.objects.get().email_due == EmailDue.CONFIRMATION


def test_signing_again_when_confirmed_owes_an_already_signed_notice(client):
    petition = make_petition()
    post_sign(client, petition)
    Signature.objects.update(confirmed_at=timezone.now(), email_due=EmailDue.NONE)
    sign_again(client, petition)
    assert Signature.objects.get().email_due == EmailDue.ALREADY_SIGNED


def test_signing_again_does_not_overwrite_the_first_name(client):
    petition = make_petition()
    post_sign(client, petition, name="Jane Doe")
    post_sign(client, petition, name="Someone Else")
    assert Signature.objects.get().name == "Jane Doe"


def test_closed_petition_refuses_signatures_with_a_clear_message(client):
    petition = make_petition(status=PetitionStatus.CLOSED, closes_at=timezone.now())
    response = post_sign(client, petition)
    assert response.status_code == 409
    assert "This petition is closed" in response.content.decode()
    assert not Signature.objects.exists()


def test_petition_past_its_closing_date_refuses_signatures(client):
    petition = make_petition(closes_at=timezone.now() - timedelta(minutes=1))
    assert post_sign(client, petition).status_code == 409
    assert not Signature.objects.exists()


def test_draft_petition_sign_is_not_found(client):
    petition = make_petition(status=PetitionStatus.DRAFT)
    assert post_sign(client, petition).status_code == 404
    assert not Signature.objects.exists()


def test_honeypot_filled_gets_the_usual_answer_and_stores_nothing(client):
    petition = make_petition()
    response = post_sign(client, petition, website="http://spam.example")
    assert response.status_code == 303
    assert not Signature.objects.exists()


def test_signing_too_fast_from_one_address_is_slowed_down(client, settings):
    set_limit(settings, "sign_flood", 2)
    petition = make_petition()
    codes = [post_sign(client, petition, email=f"s{i}@example.org").status_code for i in range(3)]
    assert codes == [303, 303, 429]
    assert Signature.objects.count() == 2


def test_sign_rate_follows_the_client_behind_a_trusted_proxy(client, settings):
    import ipaddress

    set_limit(settings, "sign_flood", 1)
    settings.TRUSTED_PROXIES = [ipaddress.ip_network("127.0.0.0/8")]
    petition = make_petition()
    url = f"/petitions/{petition.slug}/sign/"
    for i, forwarded in enumerate(["203.0.113.1", "203.0.113.2"]):
        data = sign_form_data(email=f"p{i}@example.org")
        response = client.post(url, data, HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="127.0.0.1")
        assert response.status_code == 303
    assert Signature.objects.count() == 2


def test_confirmation_link_expires_after_seven_days_by_default():
    petition = make_petition()
    sign_petition(petition, name="A", email="a@example.org", country="FR",
                  updates_opt_in=False, language="fr")  # fmt: skip
    signature = Signature.objects.get()
    lifetime = signature.confirmation_expires_at - signature.created_at
    assert timedelta(days=6, hours=23) < lifetime <= timedelta(days=7, seconds=1)


def test_confirmation_link_expires_a_day_after_the_petition_closes():
    closes = timezone.now() + timedelta(days=2)
    petition = make_petition(closes_at=closes)
    sign_petition(petition, name="A", email="a@example.org", country="FR",
                  updates_opt_in=False, language="en")  # fmt: skip
    assert Signature.objects.get().confirmation_expires_at == closes + timedelta(hours=24)
