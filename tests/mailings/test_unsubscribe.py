"""Every update email carries a personal unsubscribe link and the RFC 8058 one-click headers;
the link asks on GET and unsubscribes on POST, from a browser or a mail provider."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser

import pytest
from django.test import Client

from tests.factories import form_token_data, make_case, make_petition, make_signature
from tests.fixtures.smtp import text_body
from tests.mailings.helpers import send_whole_mailing, subject_of, unsubscribe_path
from undersigned.campaigns.services import upsert_update
from undersigned.core.linktoken import Kind, token_for
from undersigned.mailings.emails import unsubscribe_url
from undersigned.mailings.models import UpdateDelivery
from undersigned.mailings.services import start_mailing
from undersigned.signatures.models import Signature

pytestmark = pytest.mark.django_db


def _email_an_update(case, title="Hearing set for February", **fields):
    mailing = start_mailing(
        upsert_update(case, date(2021, 1, 4), title, **fields), acting_user=None, per_minute=6000
    )
    send_whole_mailing(mailing)
    return mailing


def test_update_email_carries_one_click_unsubscribe_headers_and_a_working_link(
    client, smtp_sink, settings
):
    case = make_case(title_en="Julian Assange")
    make_signature(make_petition(case=case), email="jane@example.org", name="Jane", opted_in=True)
    _email_an_update(case, body_en="The court sits on **24 February**.")
    message = smtp_sink.wait_for(1)[0]
    path = unsubscribe_path(message)
    assert message["List-Unsubscribe"] == f"<{settings.SITE_URL}{path}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert subject_of(message) == "Update on Julian Assange: Hearing set for February"
    assert "Hello Jane," in text_body(message)
    html = next(p for p in message.walk() if p.get_content_type() == "text/html")
    assert "<strong>24 February</strong>" in html.get_payload(decode=True).decode()
    assert "jane" not in path  # no personal data in the link
    assert client.get(path).status_code == 200


def test_opening_the_unsubscribe_link_changes_nothing(client):
    signer = make_signature(make_petition(), opted_in=True)
    response = client.get(_path(signer))
    assert response.status_code == 200
    assert "Stop update emails" in response.content.decode()
    signer.refresh_from_db()
    assert signer.updates_opt_in


def test_pressing_the_button_unsubscribes_from_every_petition_of_that_organisation(client):
    case = make_case()
    signer = make_signature(make_petition(case=case), email="Jo@example.org", opted_in=True)
    same_org = make_signature(
        make_petition(case=make_case(organisation=case.organisation)),
        email="jo@example.org",
        opted_in=True,
    )
    other_org = make_signature(make_petition(), email="jo@example.org", opted_in=True)
    someone_else = make_signature(make_petition(case=case), email="al@example.org", opted_in=True)
    response = client.post(_path(signer))
    assert response.status_code == 200
    assert "You will get no more updates" in response.content.decode()
    opted_in = dict(Signature.objects.values_list("id", "updates_opt_in"))
    assert not opted_in[signer.pk] and not opted_in[same_org.pk]
    assert opted_in[other_org.pk] and opted_in[someone_else.pk]


def test_one_click_unsubscribe_from_a_mail_provider_needs_no_cookie_or_form_token():
    signer = make_signature(make_petition(), opted_in=True)
    provider = Client(enforce_csrf_checks=True)
    response = provider.post(
        _path(signer), "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )  # fmt: skip
    assert response.status_code == 200
    signer.refresh_from_db()
    assert not signer.updates_opt_in


def test_unsubscribing_twice_is_harmless(client):
    signer = make_signature(make_petition(), opted_in=True)
    assert client.post(_path(signer)).status_code == 200
    assert client.post(_path(signer)).status_code == 200
    signer.refresh_from_db()
    assert signer.updates_opt_in is False


def test_unsubscribed_signer_gets_no_later_update(client, smtp_sink):
    case = make_case()
    make_signature(make_petition(case=case), email="leaving@example.org", opted_in=True)
    make_signature(make_petition(case=case), email="staying@example.org", opted_in=True)
    _email_an_update(case, "First")
    first = {str(message["To"]): message for message in smtp_sink.wait_for(2)}
    assert client.post(unsubscribe_path(first["leaving@example.org"])).status_code == 200
    smtp_sink.messages.clear()
    _email_an_update(case, "Second")
    assert [str(message["To"]) for message in smtp_sink.messages] == ["staying@example.org"]


def test_a_pending_email_to_someone_who_unsubscribes_meanwhile_is_skipped(client, smtp_sink):
    case = make_case()
    leaving = make_signature(make_petition(case=case), email="leaving@example.org", opted_in=True)
    make_signature(make_petition(case=case), email="staying@example.org", opted_in=True)
    mailing = start_mailing(
        upsert_update(case, date(2021, 1, 4), "News"), acting_user=None, per_minute=6000
    )
    client.post(_path(leaving))
    send_whole_mailing(mailing)
    assert [str(m["To"]) for m in smtp_sink.messages] == ["staying@example.org"]
    skipped = UpdateDelivery.objects.get(skipped_at__isnull=False)
    assert skipped.signature == leaving


def test_a_forged_unsubscribe_link_shows_the_not_found_page(client):
    signer = make_signature(make_petition(), opted_in=True)
    for path in ("/unsubscribe/nonsense/", _path(signer)[:-3] + "xx/"):
        response = client.post(path)
        assert response.status_code == 404
        assert "This link does not work" in response.content.decode()
    signer.refresh_from_db()
    assert signer.updates_opt_in


def test_the_unsubscribe_link_cannot_confirm_and_the_confirmation_link_cannot_unsubscribe(
    client,
):
    signer = make_signature(make_petition(), confirmed=False, opted_in=True)
    unsubscribe_token = _path(signer).split("/")[2]
    confirm = client.post(f"/confirm/{unsubscribe_token}/", form_token_data())
    assert confirm.status_code == 404
    confirmation_token = token_for(Kind.SIGNATURE_CONFIRMATION, signer.confirmation_key)
    assert client.post(f"/unsubscribe/{confirmation_token}/").status_code == 404
    signer.refresh_from_db()
    assert signer.confirmed_at is None and signer.updates_opt_in


def test_the_email_is_in_the_signers_language(smtp_sink):
    case = make_case(title_de="Der Fall")
    make_signature(make_petition(case=case), language="de", opted_in=True)
    _email_an_update(case, "Hearing", title_de="Anhörung", body_de="Am **Montag**.")
    message = smtp_sink.wait_for(1)[0]
    assert subject_of(message) == "Neues zu Der Fall: Anhörung"
    body = text_body(message)
    assert "Es gibt Neuigkeiten zu Der Fall." in body
    assert "Am **Montag**." in body


def test_markup_in_an_update_is_inert_in_the_email(smtp_sink):
    case = make_case()
    make_signature(make_petition(case=case), opted_in=True)
    _email_an_update(
        case, "</title><script>alert(1)</script>",
        body_en='<script>alert(2)</script> <a href="javascript:alert(3)" onclick="x()">x</a>',
    )  # fmt: skip
    message = smtp_sink.wait_for(1)[0]
    html = next(p for p in message.walk() if p.get_content_type() == "text/html")
    body = html.get_payload(decode=True).decode()
    tags = _tags_in(body)
    assert "script" not in {tag for tag, _ in tags}
    attributes = [(name, value or "") for _, attrs in tags for name, value in attrs]
    assert not [name for name, _ in attributes if name.startswith("on")]
    assert not [value for _, value in attributes if value.startswith("javascript:")]
    assert "<title>&lt;/title&gt;&lt;script&gt;" in body  # shown as text, even in <title>


def _tags_in(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    found: list[tuple[str, list[tuple[str, str | None]]]] = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            found.append((tag, attrs))

    Collector().feed(html)
    return found


def _path(signer: Signature) -> str:
    return "/" + unsubscribe_url(signer).split("/", 3)[3]
