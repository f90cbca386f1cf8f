"""The emailed link: GET only asks, POST opens a short session once; it expires."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.factories import form_token_data, make_petition, make_signature
from tests.privacy.my_data_helpers import ask_for_link, emailed_link, open_my_data
from undersigned.privacy.models import DataRequest, DataSession
from undersigned.privacy.my_data.services import (
    COOKIE_NAME,
    LINK_LIFETIME,
    REQUESTS_KEPT,
    SESSION_LIFETIME,
    purge_expired_my_data,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(client):
    make_signature(make_petition(), email="jane@example.org")
    ask_for_link(client, "jane@example.org")
    made = emailed_link("jane@example.org")
    assert made is not None
    return made


def test_get_on_the_link_shows_a_button_and_opens_nothing(client, link):
    response = client.get(link)
    assert response.status_code == 200
    assert "Show my data" in response.content.decode()
    assert COOKIE_NAME not in response.cookies
    assert not DataSession.objects.exists()
    assert client.post(link, form_token_data()).status_code == 303, "GET did not use it up"


def test_link_works_once(client, link):
    assert client.post(link, form_token_data()).status_code == 303
    second = client.post(link, form_token_data())
    assert second.status_code == 404
    assert COOKIE_NAME not in second.cookies
    assert DataSession.objects.count() == 1


def test_link_expires(client, link):
    with time_machine.travel(timezone.now() + LINK_LIFETIME + timedelta(seconds=1)):
        assert client.get(link).status_code == 404
        assert client.post(link, form_token_data()).status_code == 404
    assert not DataSession.objects.exists()


def test_forged_link_does_not_work(client, link):
    _key, _, mac = link.rstrip("/").rpartition("/")[2].partition(".")
    forged = link.replace(mac, "A" * len(mac))
    response = client.post(forged, form_token_data())
    assert response.status_code == 404
    assert "my_data_session" not in response.cookies, "a forged link opened a session"
    assert DataRequest.objects.get().used_at is None, "a forged link used up the real one"


def test_database_copy_alone_cannot_open_the_link(client, link):
    """The database holds only the key's hash; a link built from it is refused."""
    stored = DataRequest.objects.get().key_hash
    assert stored and stored not in link
    assert client.post(f"/my-data/link/{stored}.x/", form_token_data()).status_code == 404


def test_session_cookie_is_httponly_strict_scoped_and_stored_only_as_a_hash(client):
    make_signature(make_petition(), email="jane@example.org")
    ask_for_link(client, "jane@example.org")
    link = emailed_link("jane@example.org")
    response = client.post(link, form_token_data())
    cookie = response.cookies[COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Strict"
    assert cookie["path"] == "/my-data/"
    assert int(cookie["max-age"]) == SESSION_LIFETIME.total_seconds()
    assert not DataSession.objects.filter(cookie_hash=cookie.value).exists()
    assert response["Location"] == "/my-data/you/"


def test_session_ends_after_its_lifetime(client):
    make_signature(make_petition(), email="jane@example.org")
    open_my_data(client, "jane@example.org")
    assert client.get("/my-data/you/").status_code == 200
    with time_machine.travel(timezone.now() + SESSION_LIFETIME + timedelta(seconds=1)):
        response = client.get("/my-data/you/")
    assert response.status_code == 403
    assert "Your session has ended" in response.content.decode()


def test_without_a_session_nothing_is_shown(client):
    make_signature(make_petition(), email="jane@example.org")
    client.cookies[COOKIE_NAME] = "made-up"
    for url in ("/my-data/you/", "/my-data/you/my-data.json", "/my-data/you/erase/"):
        response = client.get(url)
        assert response.status_code == 403
        assert "jane" not in response.content.decode()


def test_signing_out_closes_the_session(client):
    make_signature(make_petition(), email="jane@example.org")
    open_my_data(client, "jane@example.org")
    client.post("/my-data/sign-out/", form_token_data())
    assert not DataSession.objects.exists()
    assert client.get("/my-data/you/").status_code == 403


def test_requests_and_sessions_are_purged_once_they_are_of_no_use(client):
    make_signature(make_petition(), email="jane@example.org")
    open_my_data(client, "jane@example.org")
    with time_machine.travel(timezone.now() + SESSION_LIFETIME + timedelta(seconds=1)):
        purge_expired_my_data()
        assert not DataSession.objects.exists()
        assert DataRequest.objects.exists(), "a request is kept for a day"
    with time_machine.travel(timezone.now() + REQUESTS_KEPT + timedelta(seconds=1)):
        purge_expired_my_data()
        assert not DataRequest.objects.exists()
