"""The signer's receipt: on the thank-you page right after confirming, in the "already signed"
email with the leaf number, and only ever for the signer's own signature."""

from __future__ import annotations

import re

import pytest

from tests.factories import form_token_data, make_petition, sign_form_data
from tests.fixtures.smtp import text_body
from tests.transparency.helpers import run_counting
from undersigned.signatures.emails import send_due_emails
from undersigned.signatures.models import Signature

pytestmark = pytest.mark.django_db


def sign_and_confirm_by_post(client, smtp_sink, petition, email="jane@example.org"):
    before = len(smtp_sink.messages)
    client.post(f"/petitions/{petition.slug}/sign/", sign_form_data(email=email))
    send_due_emails()
    body = text_body(smtp_sink.wait_for(before + 1)[-1])
    link = re.search(r"https?://[^/\s]+(/confirm/[^/\s]+/)", body)
    assert link
    return client.post(link.group(1), form_token_data())


def test_the_thank_you_page_shows_the_signers_receipt_and_keeps_it_private(client, smtp_sink):
    petition = make_petition(slug="free-them")
    confirmed = sign_and_confirm_by_post(client, smtp_sink, petition)
    assert confirmed.status_code == 303
    assert confirmed.cookies["receipt"]["path"] == "/petitions/free-them/thank-you/"
    assert "jane" not in confirmed.cookies["receipt"].value
    page = client.get(confirmed["Location"])
    secret = Signature.objects.get(email="jane@example.org").receipt_secret
    html = page.content.decode()
    assert secret in html and f"/log/free-them/verify#secret={secret}" in html
    assert page["Cache-Control"] == "private, no-store"
    assert client.get(confirmed["Location"]).content.decode().count(secret) >= 1


def test_a_stranger_on_the_thank_you_page_sees_no_receipt(client, smtp_sink):
    petition = make_petition(slug="free-them")
    sign_and_confirm_by_post(client, smtp_sink, petition)
    client.cookies.clear()
    page = client.get("/petitions/free-them/thank-you/").content.decode()
    assert "Your receipt" not in page
    client.cookies["receipt"] = "forged"
    assert "Your receipt" not in client.get("/petitions/free-them/thank-you/").content.decode()


def test_the_already_signed_email_gives_the_receipt_with_its_leaf_number(client, smtp_sink):
    petition = make_petition(slug="free-them")
    sign_and_confirm_by_post(client, smtp_sink, petition)
    run_counting()
    client.post("/petitions/free-them/sign/", sign_form_data(email="jane@example.org"))
    send_due_emails()
    notice = text_body(smtp_sink.wait_for(2)[-1])
    secret = Signature.objects.get(email="jane@example.org").receipt_secret
    assert f"Receipt secret: {secret}" in notice
    assert "Leaf number: 1" in notice  # entry 0 is the petition's text
    assert f"/log/free-them/verify#secret={secret}&index=1" in notice
