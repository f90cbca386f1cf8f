"""Staff sign-ins, and failed ones, are on record — never with what was typed as a password,
and never with a typed username that is nobody's account."""

import pytest

from tests.audit.helpers import audit_page, entries
from tests.factories import make_organisation, make_staff
from tests.sign_in import sign_in as sign_in_with_second_factor
from undersigned.audit.models import AuditAction, AuditLogEntry
from undersigned.campaigns.models import Role

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"


def sign_in(client, username: str, password: str):
    return client.post("/staff/login/", {"username": username, "password": password})


def everything_on_record() -> str:
    return repr(list(AuditLogEntry.objects.values()))


def test_a_staff_sign_in_is_recorded_with_the_account(client):
    editor = make_staff(make_organisation(), Role.EDITOR, username="erin")
    assert sign_in(client, "erin", PASSWORD).status_code == 302
    [entry] = entries(AuditAction.SIGN_IN)
    assert (entry.user_id, entry.username, entry.organisation_id) == (editor.pk, "erin", None)


def test_a_wrong_password_is_recorded_under_the_account_and_the_password_is_not(client):
    editor = make_staff(make_organisation(), Role.EDITOR, username="erin")
    sign_in(client, "erin", "Hunter2-typed-wrong")
    [entry] = entries(AuditAction.SIGN_IN_FAILED)
    assert (entry.user_id, entry.username) == (editor.pk, "erin")
    assert "Hunter2" not in everything_on_record()
    assert not entries(AuditAction.SIGN_IN)


def test_a_sign_in_as_nobodys_username_is_recorded_without_the_typed_text(client):
    make_staff(make_organisation(), Role.EDITOR, username="erin")
    sign_in(client, "my-Secret-password", "erin")  # typed into the wrong fields
    [entry] = entries(AuditAction.SIGN_IN_FAILED)
    assert (entry.user_id, entry.username, entry.organisation_id) == (None, "", None)
    assert "my-Secret-password" not in everything_on_record()


def test_an_admin_sees_the_sign_ins_of_their_members_only(client):
    ours, theirs = make_organisation(), make_organisation()
    make_staff(ours, Role.EDITOR, username="ourmember")
    make_staff(theirs, Role.EDITOR, username="theirmember")
    sign_in(client, "ourmember", PASSWORD)
    sign_in(client, "theirmember", "wrong-password")
    client.logout()
    sign_in_with_second_factor(client, make_staff(ours, Role.ADMIN, username="ouradmin"))
    table = audit_page(client, f"?action={AuditAction.SIGN_IN}")
    assert "ourmember" in table
    assert "theirmember" not in audit_page(client, f"?action={AuditAction.SIGN_IN_FAILED}")
    assert "theirmember" not in audit_page(client)


def test_failed_sign_ins_for_unknown_usernames_are_for_the_operator_only(client):
    sign_in(client, "nobody", "whatever")
    sign_in_with_second_factor(client, make_staff(make_organisation(), Role.ADMIN))
    assert "Nothing is on record yet." in audit_page(
        client, f"?action={AuditAction.SIGN_IN_FAILED}"
    )
