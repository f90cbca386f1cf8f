"""Two-factor sign-in: who must have a second factor, and every way a second factor is
refused — each refusal clear, counted toward the lockout and on the audit log."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import make_organisation, make_staff
from tests.sign_in import enrol_app, sign_in, totp_code
from undersigned.audit.models import AuditAction, AuditLogEntry
from undersigned.campaigns.models import Membership, Role
from undersigned.staff import two_factor
from undersigned.staff.models import RecoveryCode

pytestmark = pytest.mark.django_db
SECOND_FACTOR = "/staff/sign-in/second-factor/"


def failures(username: str) -> int:
    return sum(AccessAttempt.objects.filter(username=username).values_list(
        "failures_since_start", flat=True))  # fmt: skip


def password_only(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def enrolled(role: str = Role.DATA_OFFICER, username: str = "dora"):
    """A member who set up an app (and got recovery codes); signed out again."""
    user = make_staff(make_organisation(), role, username=username)
    client = password_only(user)
    client.get("/staff/sign-in/set-up/")
    device = TOTPDevice.objects.get(user=user)
    page = client.post("/staff/sign-in/set-up/", {"code": totp_code(device)})
    codes = re.findall(r"<code>([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4})</code>", page.content.decode())
    return user, TOTPDevice.objects.get(user=user), codes


def test_a_data_officer_is_sent_to_set_up_a_second_factor_even_for_the_admin():
    user = make_staff(make_organisation(), Role.DATA_OFFICER)
    client = password_only(user)
    assert client.get("/staff/")["Location"] == "/staff/sign-in/set-up/?next=%2Fstaff%2F"
    assert client.get("/admin/")["Location"].startswith("/staff/sign-in/set-up/")


def test_editors_choose_unless_their_organisation_requires_it_of_everyone():
    editor = make_staff(make_organisation(), Role.EDITOR)
    assert password_only(editor).get("/staff/").status_code == 200
    Membership.objects.get(user=editor).organisation.__class__.objects.update(
        require_two_factor_for_all=True
    )
    assert password_only(editor).get("/staff/")["Location"].startswith("/staff/sign-in/set-up/")


def test_an_editor_who_set_up_an_app_must_use_it():
    editor, _device, _codes = enrolled(Role.EDITOR, "edith")
    assert password_only(editor).get("/staff/")["Location"].startswith(SECOND_FACTOR)


def test_a_stolen_password_alone_adds_no_second_factor():
    user, _device, _codes = enrolled()
    thief = password_only(user)
    assert thief.get("/staff/sign-in/set-up/")["Location"] == SECOND_FACTOR
    begin = thief.post("/staff/sign-in/passkey/registration/begin/")
    assert begin.status_code == 403 and begin.json()["code"] == "user_not_verified"
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_a_replayed_code_is_refused_clearly_counted_and_recorded():
    user, device, _codes = enrolled()
    # The very code set-up accepted (its time step), even if the clock has moved on since.
    used_at_set_up = totp_code(device, at_step=device.last_t)
    response = password_only(user).post(SECOND_FACTOR, {"code": used_at_set_up})
    assert response.status_code == 400
    assert "That code has been used already: each code works once." in response.content.decode()
    assert failures("dora") == 1
    entry = AuditLogEntry.objects.get(action=AuditAction.SECOND_FACTOR_FAILED)
    assert (entry.username, entry.detail) == ("dora", "authenticator app: code used before")


def test_a_wrong_code_is_called_wrong_not_used():
    user, device, _codes = enrolled()
    accepted_now = {totp_code(device, offset_steps=step) for step in (-1, 0, 1)}
    wrong = next(code for code in ("000000", "111111", "222222") if code not in accepted_now)
    response = password_only(user).post(SECOND_FACTOR, {"code": wrong})
    assert response.status_code == 400
    assert "That code is wrong." in response.content.decode()
    entry = AuditLogEntry.objects.get(action=AuditAction.SECOND_FACTOR_FAILED)
    assert entry.detail == "authenticator app: wrong code"
    assert failures("dora") == 1


def test_five_wrong_codes_lock_the_account_and_sign_it_out():
    user, _device, _codes = enrolled()
    client = password_only(user)
    for _ in range(4):
        assert client.post(SECOND_FACTOR, {"code": "000000"}).status_code == 400
    locked = client.post(SECOND_FACTOR, {"code": "000000"})
    assert locked.status_code == 429 and "Too many attempts" in locked.content.decode()
    assert client.get("/staff/")["Location"].startswith("/staff/login/")  # signed out
    again = password_only(user).post(SECOND_FACTOR, {"code": "123456"})
    assert again.status_code == 429  # still locked, whatever is typed


def test_a_recovery_code_works_once():
    user, _device, codes = enrolled()
    assert len(codes) == 10
    first = password_only(user).post(SECOND_FACTOR, {"code": codes[0].upper().replace("-", " ")})
    assert first.status_code == 303
    second = password_only(user).post(SECOND_FACTOR, {"code": codes[0]})
    assert second.status_code == 400
    assert "has been used already" in second.content.decode()
    assert failures("dora") == 1
    stored = "".join(RecoveryCode.objects.values_list("digest", flat=True))
    assert not any(code.replace("-", "") in stored.replace("-", "") for code in codes)


def test_an_admin_resets_a_member_who_lost_their_phone_and_the_old_codes_stop_working():
    member, device, _codes = enrolled()
    organisation = Membership.objects.get(user=member).organisation
    admin = sign_in(Client(), make_staff(organisation, Role.ADMIN, username="ada"))
    members_session = sign_in(Client(), member)
    membership = Membership.objects.get(user=member)
    data = {"action": "reset_two_factor", "_selected_action": [membership.pk]}
    confirm = admin.post("/admin/campaigns/membership/", data)
    assert "Reset two-factor sign-in?" in confirm.content.decode()
    assert TOTPDevice.objects.filter(user=member).exists()  # nothing happened yet
    admin.post("/admin/campaigns/membership/", {**data, "post": "yes"})
    assert not TOTPDevice.objects.filter(user=member).exists()
    assert members_session.get("/staff/")["Location"].startswith("/staff/login/")
    entry = AuditLogEntry.objects.get(action=AuditAction.TWO_FACTOR_RESET)
    assert (entry.username, entry.subject) == ("ada", "member dora")

    client = password_only(member)  # set up again; the old phone's code is refused
    assert client.get("/staff/")["Location"].startswith("/staff/sign-in/set-up/")
    client.get("/staff/sign-in/set-up/")
    with time_machine.travel(timezone.now() + timedelta(seconds=30)):
        refused = client.post("/staff/sign-in/set-up/", {"code": totp_code(device)})
    assert refused.status_code == 400 and failures("dora") == 1


def test_an_admin_of_one_of_the_members_organisations_only_cannot_reset_them():
    member, _device, _codes = enrolled()
    other = make_organisation()
    Membership.objects.create(user=member, organisation=other, role=Role.EDITOR)
    ours = Membership.objects.exclude(organisation=other).get(user=member).organisation
    admin = make_staff(ours, Role.ADMIN)
    with pytest.raises(two_factor.NotAllowed):
        two_factor.reset_two_factor(member, acting_user=admin)
    assert TOTPDevice.objects.filter(user=member).exists()


def test_signing_in_through_the_set_up_page_leaves_the_session_verified():
    client = password_only(make_staff(make_organisation(), Role.MODERATOR))
    enrol_app(client)
    assert client.get("/staff/").status_code == 200


def test_only_a_member_who_may_use_the_back_office_is_offered_the_way_back_to_it():
    must = password_only(make_staff(make_organisation(), Role.MODERATOR, username="mo"))
    assert "Back to your account" not in must.get("/staff/sign-in/set-up/").content.decode()
    user, _device, _codes = enrolled()
    adding = sign_in(Client(), user)
    assert "Back to your account" in adding.get("/staff/account/add-app/").content.decode()
