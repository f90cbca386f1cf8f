"""Asking for a link: the same answer for every address; the truth only in the mailbox."""

from __future__ import annotations

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import form_token_data, make_petition, make_signature
from tests.privacy.my_data_helpers import ask_for_link, emailed_link, emails_to
from undersigned.core.ratelimit import limit
from undersigned.privacy.models import DataRequest
from undersigned.privacy.my_data.emails import send_due_my_data_emails

pytestmark = pytest.mark.django_db

# Headers that could tell the two answers apart (Date/Expires are fixed by the frozen clock).
COMPARED_HEADERS = ("Location", "Content-Type", "Content-Length", "Cache-Control", "Expires",
                    "Vary", "Set-Cookie")  # fmt: skip


def _answer(client, email: str):
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/my-data/", {**form_token_data(), "email": email})
    headers = {name: response.headers.get(name) for name in COMPARED_HEADERS}
    # The statements run, without their parameters: the same work for both addresses.
    statements = [query["sql"].split(" VALUES ")[0] for query in queries.captured_queries]
    return response.status_code, response.content, headers, response.cookies.keys(), statements


@time_machine.travel("2026-03-01 12:00:00+00:00", tick=False)
def test_page_answers_identically_for_known_and_unknown_addresses(client):
    make_signature(make_petition(), email="known@example.org")
    known = _answer(client, "known@example.org")
    unknown = _answer(client, "unknown@example.org")
    assert known[0] == 303
    assert known == unknown
    follow_known = client.get(known[2]["Location"])
    follow_unknown = client.get(unknown[2]["Location"])
    assert follow_known.status_code == follow_unknown.status_code == 200
    assert follow_known.content == follow_unknown.content
    assert DataRequest.objects.count() == 2, "a request row is stored in both cases"


def test_request_path_sends_nothing_and_reads_no_signature(client):
    make_signature(make_petition(), email="known@example.org")
    with CaptureQueriesContext(connection) as queries:
        ask_for_link(client, "known@example.org")
    assert not any("signatures_signature" in q["sql"] for q in queries.captured_queries)
    assert mail.outbox == []


def test_known_address_gets_a_link_and_unknown_one_a_no_signatures_note(client):
    make_signature(make_petition(), email="known@example.org")
    ask_for_link(client, "known@example.org")
    ask_for_link(client, "nobody@example.org")
    assert emailed_link("known@example.org") is not None
    assert emailed_link("nobody@example.org") is None
    (note,) = emails_to("nobody@example.org")
    assert "no signatures" in note


def test_no_email_address_appears_in_any_url_or_the_task_queue(client):
    make_signature(make_petition(), email="known@example.org")
    response = ask_for_link(client, "known@example.org")
    assert "known" not in response["Location"]
    link = emailed_link("known@example.org")
    assert link is not None and "known" not in link and "example" not in link


def test_malformed_address_is_refused_with_a_message_and_nothing_is_stored(client):
    response = client.post("/my-data/", {**form_token_data(), "email": "not an address"})
    assert response.status_code == 422
    assert "does not look like an email address" in response.content.decode()
    assert 'aria-describedby="id_email_helptext id_email_error"' in response.content.decode()
    assert DataRequest.objects.count() == 0


def test_overlong_address_is_refused(client):
    response = client.post("/my-data/", {**form_token_data(), "email": "a" * 300 + "@x.org"})
    assert response.status_code == 422
    assert DataRequest.objects.count() == 0


def test_form_without_token_is_refused(client):
    response = client.post("/my-data/", {"email": "known@example.org"})
    assert response.status_code == 403
    assert DataRequest.objects.count() == 0


def test_honeypot_gets_the_usual_answer_and_stores_nothing(client):
    response = client.post(
        "/my-data/", {**form_token_data(), "email": "bot@example.org", "website": "x"}
    )
    assert response.status_code == 303
    assert DataRequest.objects.count() == 0


def test_one_client_asking_too_often_is_slowed_down(client):
    REQUESTS_PER_CLIENT_PER_HOUR = limit("my_data_requests").at_most
    for n in range(REQUESTS_PER_CLIENT_PER_HOUR):
        assert ask_for_link(client, f"a{n}@example.org").status_code == 303
    response = ask_for_link(client, "one-more@example.org")
    assert response.status_code == 429
    assert DataRequest.objects.count() == REQUESTS_PER_CLIENT_PER_HOUR


def test_one_mailbox_gets_at_most_a_few_emails_an_hour(client):
    EMAILS_PER_ADDRESS_PER_HOUR = limit("my_data_emails").at_most
    for n in range(EMAILS_PER_ADDRESS_PER_HOUR + 2):
        client.post(
            "/my-data/",
            {**form_token_data(), "email": "victim@example.org"},
            REMOTE_ADDR=f"192.0.2.{n + 1}",
        )
    send_due_my_data_emails()
    assert len(emails_to("victim@example.org")) == EMAILS_PER_ADDRESS_PER_HOUR
    assert not DataRequest.objects.filter(email_due=True).exists(), "the rest are dropped"
