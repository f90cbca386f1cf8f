"""Disposable addresses are refused with a message; likely typos are pointed out once."""

from __future__ import annotations

import pytest

from tests.factories import make_petition
from tests.signatures.abuse_helpers import post_sign
from undersigned.signatures import email_checks
from undersigned.signatures.models import Signature

DISPOSABLE_MESSAGE = "Addresses from disposable email services cannot sign"


@pytest.mark.django_db
@pytest.mark.parametrize("email", ["bot@mailinator.com", "bot@YopMail.com", "x@a.mailinator.com"])
def test_a_disposable_domain_gets_its_message_and_is_not_stored(client, email):
    petition = make_petition()
    response = post_sign(client, petition, email=email)
    assert response.status_code == 422
    assert DISPOSABLE_MESSAGE in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Signature.objects.exists()


@pytest.mark.django_db
def test_an_operator_can_add_disposable_domains_from_a_file(client, settings, tmp_path):
    listing = tmp_path / "more-disposable.txt"
    listing.write_text("# our own finds\nthrowaway.example\n")
    settings.DISPOSABLE_DOMAINS_FILE = str(listing)
    email_checks.is_disposable.cache_clear()
    try:
        response = post_sign(client, make_petition(), email="bot@throwaway.example")
    finally:
        email_checks.is_disposable.cache_clear()
    assert response.status_code == 422
    assert DISPOSABLE_MESSAGE in response.content.decode()


@pytest.mark.django_db
def test_a_likely_typo_is_suggested_then_accepted_when_sent_again(client):
    petition = make_petition()
    first = post_sign(client, petition, email="ada@gmai.com")
    assert first.status_code == 422
    page = first.content.decode()
    assert "gmai.com — did you mean gmail.com?" in page
    assert '<input type="hidden" name="email_checked" value="ada@gmai.com">' in page
    assert not Signature.objects.exists()

    again = post_sign(client, petition, email="ada@gmai.com", email_checked="ada@gmai.com")
    assert again.status_code == 303
    assert Signature.objects.get().email == "ada@gmai.com"


@pytest.mark.django_db
def test_a_typo_domain_that_is_also_disposable_is_suggested_first_then_refused(client):
    petition = make_petition()
    first = post_sign(client, petition, email="ada@gmial.com")
    assert "gmial.com — did you mean gmail.com?" in first.content.decode()
    again = post_sign(client, petition, email="ada@gmial.com", email_checked="ada@gmial.com")
    assert again.status_code == 422
    assert DISPOSABLE_MESSAGE in again.content.decode()


@pytest.mark.django_db
def test_a_different_address_after_the_warning_is_checked_afresh(client):
    petition = make_petition()
    response = post_sign(client, petition, email="ada@hotmaill.com", email_checked="ada@gmai.com")
    assert response.status_code == 422
    assert "did you mean hotmail.com?" in response.content.decode()


@pytest.mark.parametrize(
    ("domain", "suggestion"),
    [("gmial.com", "gmail.com"), ("gmail.con", "gmail.com"), ("gmai.com", "gmail.com"),
     ("hotmaill.com", "hotmail.com"), ("yaho.com", "yahoo.com"), ("outlok.com", "outlook.com"),
     ("gmail.com", None), ("mail.com", None), ("ymail.com", None), ("example.org", None),
     ("posteo.de", None), ("gmx.at", None)],
)  # fmt: skip
def test_typo_suggestions_point_at_big_providers_only(domain, suggestion):
    assert email_checks.suggest_domain(domain) == suggestion
