"""Role changes (however they are made) and settings changes made in the admin are on record,
with who made them and the names of the changed fields — never their values."""

import pytest
from django.contrib.auth.models import User

from tests.audit.helpers import admin_form_data, audit_page, entries
from tests.factories import make_case, make_organisation, make_petition, make_staff
from tests.sign_in import sign_in
from undersigned.audit.models import AuditAction
from undersigned.campaigns.models import Membership, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return make_organisation(name="Free Speech Now")


@pytest.fixture
def admin_user(organisation):
    return make_staff(organisation, Role.ADMIN, username="adele")


def save_in_admin(client, url: str, **changes):
    data = {**admin_form_data(client.get(url).content.decode()), **changes, "_save": "Save"}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    return response


def test_a_role_changed_in_the_admin_names_who_changed_it(client, organisation, admin_user):
    member = make_staff(organisation, Role.ANALYST, username="max")
    membership = Membership.objects.get(user=member)
    sign_in(client, admin_user)
    save_in_admin(client, f"/admin/campaigns/membership/{membership.pk}/change/", role=Role.EDITOR)
    entry = entries(AuditAction.ROLE_CHANGED)[-1]
    assert (entry.username, entry.organisation_id) == ("adele", organisation.pk)
    assert (entry.subject, entry.detail) == ("member max", "role: analyst → editor")


def test_a_member_removed_in_the_admin_is_on_record(client, organisation, admin_user):
    member = make_staff(organisation, Role.EDITOR, username="max")
    membership = Membership.objects.get(user=member)
    sign_in(client, admin_user)
    client.post(f"/admin/campaigns/membership/{membership.pk}/delete/", {"post": "yes"})
    entry = entries(AuditAction.ROLE_CHANGED)[-1]
    assert (entry.username, entry.subject, entry.detail) == (
        "adele", "member max", "role removed: editor",
    )  # fmt: skip


def test_roles_granted_and_changed_in_code_are_on_record_too(organisation):
    member = User.objects.create_user("max")
    membership = Membership.objects.create(user=member, organisation=organisation, role="editor")
    membership.role = Role.DATA_OFFICER
    membership.save()
    membership.save()  # nothing changed: nothing recorded
    details = [e.detail for e in entries(AuditAction.ROLE_CHANGED) if e.subject == "member max"]
    assert details == ["role granted: editor", "role: editor → data_officer"]


def test_a_petition_setting_changed_in_the_admin_records_the_field_not_the_value(
    client, organisation, admin_user
):
    petition = make_petition(case=make_case(organisation=organisation), title_en="Free them")
    sign_in(client, admin_user)
    save_in_admin(client, f"/admin/petitions/petition/{petition.pk}/change/", goal="98765")
    [entry] = entries(AuditAction.SETTINGS_CHANGED)
    assert (entry.username, entry.organisation_id, entry.petition_id) == (
        "adele", organisation.pk, petition.pk,
    )  # fmt: skip
    assert entry.subject == f"petition #{petition.pk}: Free them"
    assert "goal" in entry.detail.lower()
    assert "98765" not in entry.detail + entry.subject


def test_saving_without_a_change_records_nothing(client, organisation, admin_user):
    case = make_case(organisation=organisation)
    sign_in(client, admin_user)
    save_in_admin(client, f"/admin/campaigns/case/{case.pk}/change/")
    assert not entries(AuditAction.SETTINGS_CHANGED)


def test_organisation_and_case_changes_are_recorded_for_that_organisation(
    client, organisation, admin_user
):
    case = make_case(organisation=organisation)
    sign_in(client, admin_user)
    save_in_admin(client, f"/admin/campaigns/case/{case.pk}/change/", summary_en="Changed.")
    save_in_admin(
        client, f"/admin/campaigns/organisation/{organisation.pk}/change/", name="Free Speech"
    )
    case_entry, organisation_entry = entries(AuditAction.SETTINGS_CHANGED)
    assert case_entry.organisation_id == organisation_entry.organisation_id == organisation.pk
    assert "summary" in case_entry.detail.lower()
    assert "name" in organisation_entry.detail.lower()


def test_role_and_settings_changes_are_shown_to_that_organisations_admin_only(
    client, organisation, admin_user
):
    make_staff(organisation, Role.EDITOR, username="ourmember")
    make_staff(make_organisation(), Role.EDITOR, username="theirmember")
    sign_in(client, admin_user)
    table = audit_page(client, f"?action={AuditAction.ROLE_CHANGED}")
    assert "member ourmember" in table and "role granted: editor" in table
    assert "theirmember" not in table
