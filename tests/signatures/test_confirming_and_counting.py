"""Confirming by POST only, and counting each confirmed signature exactly once."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import form_token_data, make_petition, make_signature, sign_form_data
from tests.fixtures.smtp import text_body
from undersigned.core.linktoken import Kind, token_for
from undersigned.moderation.services import queue_invalidation
from undersigned.petitions.services import close_petition
from undersigned.signatures.emails import send_due_emails
from undersigned.signatures.invalidation import SIGNATURE_IDS, apply_invalidation
from undersigned.signatures.models import Signature, SignatureCount
from undersigned.signatures.services import (
    count_new_confirmations,
    recount_petition,
)

pytestmark = pytest.mark.django_db


def sign_and_get_link(client, smtp_sink, petition, email="jane@example.org", **fields):
    before = len(smtp_sink.messages)
    client.post(f"/petitions/{petition.slug}/sign/", sign_form_data(email=email, **fields))
    send_due_emails()
    message = smtp_sink.wait_for(before + 1)[-1]
    match = re.search(r"https?://[^/\s]+(/confirm/[^/\s]+/)", text_body(message))
    assert match, "the email carries a confirmation link"
    return message, match.group(1)


def count_json(client, petition) -> int:
    return client.get(f"/petitions/{petition.slug}/count.json").json()["signature_count"]


def test_confirmation_email_names_the_petition_and_has_text_and_html(client, smtp_sink):
    petition = make_petition(title_en="Free the press")
    message, _link = sign_and_get_link(client, smtp_sink, petition)
    assert "Free the press" in message["Subject"]
    assert message["To"] == "jane@example.org"
    types = {part.get_content_type() for part in message.walk()}
    assert {"text/plain", "text/html"} <= types


def test_confirmation_email_is_in_the_signers_language(client, smtp_sink):
    petition = make_petition(title_en="Free them", title_de="Befreit sie")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "de"
    message, _link = sign_and_get_link(client, smtp_sink, petition)
    assert "Befreit sie" in message["Subject"]
    assert "Bitte" in message["Subject"] or "bestätigen" in text_body(message).lower()


def test_get_on_the_link_shows_a_button_and_confirms_nothing(client, smtp_sink):
    petition = make_petition()
    _message, link = sign_and_get_link(client, smtp_sink, petition)
    response = client.get(link)
    assert response.status_code == 200
    assert "Confirm my signature" in response.content.decode()
    assert Signature.objects.get().confirmed_at is None


def test_post_confirms_and_leads_to_thanks_with_share_links(client, smtp_sink):
    petition = make_petition()
    _message, link = sign_and_get_link(client, smtp_sink, petition)
    response = client.post(link, form_token_data())
    assert response.status_code == 303
    assert response["Location"] == f"/petitions/{petition.slug}/thank-you/"
    assert Signature.objects.get().confirmed_at is not None
    html = client.get(response["Location"]).content.decode()
    for share in ("mailto:", "wa.me", "mastodon", "bsky.app", "facebook.com", "x.com"):
        assert share in html
    assert '<script src="http' not in html  # no third-party script


def test_confirming_twice_is_harmless_and_counts_once(client, smtp_sink):
    petition = make_petition()
    _message, link = sign_and_get_link(client, smtp_sink, petition)
    assert client.post(link, form_token_data()).status_code == 303
    assert client.post(link, form_token_data()).status_code == 303
    count_new_confirmations()
    assert count_json(client, petition) == 1


def test_forged_or_garbled_tokens_confirm_nothing(client):
    petition = make_petition()
    client.post(f"/petitions/{petition.slug}/sign/", sign_form_data())
    key = Signature.objects.get().confirmation_key
    for token in [key, f"{key}.AAAAAAAAAAAAAAAAAAAAAA", "x" * 500, "..", "%00"]:
        response = client.post(f"/confirm/{token}/", form_token_data())
        assert response.status_code == 404
    assert Signature.objects.get().confirmed_at is None


def test_expired_link_confirms_nothing_and_says_so(client):
    petition = make_petition()
    client.post(f"/petitions/{petition.slug}/sign/", sign_form_data())
    Signature.objects.update(confirmation_expires_at=timezone.now() - timedelta(seconds=1))
    token = token_for(Kind.SIGNATURE_CONFIRMATION, Signature.objects.get().confirmation_key)
    response = client.post(f"/confirm/{token}/", form_token_data())
    assert "expired" in response.content.decode()
    assert Signature.objects.get().confirmed_at is None


def test_link_still_confirms_within_a_day_of_closing_but_not_after(client):
    petition = make_petition(opens_at=timezone.now() - timedelta(days=10))
    client.post(f"/petitions/{petition.slug}/sign/", sign_form_data())
    token = token_for(Kind.SIGNATURE_CONFIRMATION, Signature.objects.get().confirmation_key)
    close_petition(petition, acting_user=None, now=timezone.now() - timedelta(hours=25))
    client.post(f"/confirm/{token}/", form_token_data())
    assert Signature.objects.get().confirmed_at is None
    petition.closes_at = timezone.now() - timedelta(hours=1)
    petition.save()
    client.post(f"/confirm/{token}/", form_token_data())
    assert Signature.objects.get().confirmed_at is not None


def test_count_json_counts_confirmed_signatures_only(client, smtp_sink):
    petition = make_petition(goal=250)
    _m, link = sign_and_get_link(client, smtp_sink, petition, email="a@example.org")
    sign_and_get_link(client, smtp_sink, petition, email="b@example.org")  # stays pending
    client.post(link, form_token_data())
    count_new_confirmations()
    body = client.get(f"/petitions/{petition.slug}/count.json").json()
    assert body["signature_count"] == 1
    assert body["goal"] == 250
    assert "T" in body["updated_at"]


def test_count_json_can_be_cached_by_a_cdn(client):
    petition = make_petition()
    cache_control = client.get(f"/petitions/{petition.slug}/count.json")["Cache-Control"]
    assert "s-maxage=" in cache_control
    assert "stale-while-revalidate=" in cache_control


def test_counting_job_takes_each_confirmation_once_across_runs():
    petition = make_petition()
    for i in range(5):
        make_signature(petition, country="DE" if i % 2 else "FR")
    assert count_new_confirmations() == 5
    assert count_new_confirmations() == 0
    counts = dict(SignatureCount.objects.values_list("country", "count"))
    assert counts == {"DE": 2, "FR": 3}


def test_invalidated_signatures_leave_the_count_at_once(client, smtp_sink):
    petition = make_petition()
    _m, link = sign_and_get_link(client, smtp_sink, petition)
    client.post(link, form_token_data())
    count_new_confirmations()
    batch = queue_invalidation(
        petition, criteria={SIGNATURE_IDS: [Signature.objects.get().pk]}, reason="fraud",
        previewed_count=1, acting_user=None,
    )  # fmt: skip
    apply_invalidation(batch.pk)  # what the worker does
    client.get("/")  # nothing cached matters: clear by waiting for the cache expiry
    from django.core.cache import cache

    cache.clear()
    assert count_json(client, petition) == 0


def test_recount_repairs_a_drifted_count(client, smtp_sink):
    petition = make_petition()
    _m, link = sign_and_get_link(client, smtp_sink, petition)
    client.post(link, form_token_data())
    count_new_confirmations()
    SignatureCount.objects.update(count=999)  # drift, e.g. a bad manual edit
    assert recount_petition(petition.pk) == 1
    assert SignatureCount.objects.get().count == 1


def test_resent_link_is_emailed_again(client, smtp_sink):
    petition = make_petition()
    sign_and_get_link(client, smtp_sink, petition)
    _message, link = sign_and_get_link(client, smtp_sink, petition)
    assert len(smtp_sink.messages) == 2
    assert client.post(link, form_token_data()).status_code == 303


def test_already_signed_notice_is_emailed_to_a_confirmed_signer(client, smtp_sink):
    petition = make_petition(title_en="Free them")
    _m, link = sign_and_get_link(client, smtp_sink, petition)
    client.post(link, form_token_data())
    client.post(f"/petitions/{petition.slug}/sign/", sign_form_data())
    send_due_emails()
    notice = smtp_sink.wait_for(2)[-1]
    assert "already signed" in notice["Subject"]
    assert "/confirm/" not in text_body(notice)
