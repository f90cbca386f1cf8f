"""Staff sessions end after 30 idle minutes and 12 hours in all; a new password ends the
account's other sessions; staff see and end their own sessions."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from tests.factories import make_organisation, make_staff
from tests.sign_in import sign_in
from tests.web.test_configuration import GOOD_KEY
from undersigned.audit.models import AuditAction, AuditLogEntry
from undersigned.campaigns.models import Role
from undersigned.staff.models import StaffSession

pytestmark = pytest.mark.django_db


def signed_out(client: Client) -> bool:
    response = client.get("/staff/")
    return response.status_code == 302 and response["Location"].startswith("/staff/login/")


def test_a_session_idle_for_over_thirty_minutes_ends():
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client = sign_in(Client(), make_staff(make_organisation(), Role.EDITOR))
        clock.move_to(start + timedelta(minutes=31))
        response = client.get("/staff/")
        assert response["Location"] == "/staff/login/?next=%2Fstaff%2F&expired=1"
        assert signed_out(client)


def test_a_busy_session_ends_anyway_after_its_hours(settings):
    settings.STAFF_SESSION_MAX_HOURS = 1
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client = sign_in(Client(), make_staff(make_organisation(), Role.EDITOR))
        for minutes in (20, 40, 59):
            clock.move_to(start + timedelta(minutes=minutes))
            assert client.get("/staff/").status_code == 200  # active: not idle
        clock.move_to(start + timedelta(minutes=61))
        assert signed_out(client)


def test_the_session_cookie_is_http_only_same_site_and_lives_hours_not_weeks():
    make_staff(make_organisation(), Role.EDITOR, username="erin")
    response = Client().post(
        "/staff/login/", {"username": "erin", "password": "a-long-test-password"}
    )
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == 12 * 3600
    csrf = Client().get("/staff/login/").cookies["csrftoken"]
    assert csrf["httponly"] and csrf["samesite"] == "Lax"
    assert not cookie["secure"] and not csrf["secure"]  # the test site is plain http


@pytest.mark.parametrize(
    ("site", "secure"),
    [("https://petitions.example.org", "True True"), ("http://127.0.0.1:8000", "False False")],
)
def test_the_cookies_are_secure_whenever_the_site_is_https(site, secure):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "undersigned.config.settings",
             "SECRET_KEY": GOOD_KEY, "DEBUG": "false", "SITE_URL": site},
    )  # fmt: skip
    assert result.stdout.strip() == secure, result.stderr


def test_a_new_password_ends_the_other_sessions_but_not_this_one():
    user = make_staff(make_organisation(), Role.DATA_OFFICER, username="dora")
    laptop, stolen = sign_in(Client(), user), sign_in(Client(), user)
    response = laptop.post("/admin/password_change/", {
        "old_password": "a-long-test-password", "new_password1": "another-long-passphrase-9",
        "new_password2": "another-long-passphrase-9",
    })  # fmt: skip
    assert response.status_code == 302
    assert laptop.get("/staff/").status_code == 200
    assert signed_out(stolen)
    entry = AuditLogEntry.objects.get(action=AuditAction.PASSWORD_CHANGED)
    assert (entry.username, entry.detail) == ("dora", "1 other session(s) ended")


def test_staff_see_their_sessions_and_end_one_they_left_open():
    make_staff(make_organisation(), Role.EDITOR, username="erin")  # needs no second factor
    office, home = Client(HTTP_USER_AGENT="Office browser"), Client(HTTP_USER_AGENT="Home browser")
    for client in (office, home):
        client.post("/staff/login/", {"username": "erin", "password": "a-long-test-password"})
    page = home.get("/staff/account/").content.decode()
    assert "Office browser" in page and "Home browser" in page and "this session" in page
    office_session = StaffSession.objects.get(user_agent="Office browser")
    response = home.post(f"/staff/account/sessions/{office_session.pk}/end/")
    assert response.status_code == 303
    assert signed_out(office)
    assert home.get("/staff/").status_code == 200
    assert AuditLogEntry.objects.filter(action=AuditAction.SESSION_ENDED, username="erin").exists()


def test_nobody_ends_another_persons_session():
    organisation = make_organisation()
    victim = sign_in(Client(), make_staff(organisation, Role.EDITOR, username="erin"))
    other = sign_in(Client(), make_staff(organisation, Role.ADMIN))
    theirs = StaffSession.objects.get(user__username="erin")
    other.post(f"/staff/account/sessions/{theirs.pk}/end/")
    assert victim.get("/staff/").status_code == 200
