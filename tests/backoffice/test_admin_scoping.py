"""The Django admin names nothing of another organisation: not its petitions in a filter, not
its people in a chooser (issue 19, item 4)."""

from __future__ import annotations

import pytest

from tests.factories import make_case, make_organisation, make_petition, make_staff
from tests.sign_in import sign_in
from undersigned.campaigns.models import Membership, Role
from undersigned.petitions.models import PetitionStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def ours_and_theirs():
    ours, theirs = make_organisation(), make_organisation()
    our_case = make_case(organisation=ours)
    make_petition(case=our_case, title_en="Our open petition")
    make_petition(case=our_case, title_en="Our draft", status=PetitionStatus.DRAFT)
    make_petition(case=make_case(organisation=theirs), title_en="Their open petition")
    make_petition(
        case=make_case(organisation=theirs), title_en="Their secret draft",
        status=PetitionStatus.DRAFT,
    )  # fmt: skip
    return ours, theirs


def test_the_by_petition_filter_lists_only_our_own_petitions(client, ours_and_theirs):
    ours, _theirs = ours_and_theirs
    sign_in(client, make_staff(ours, Role.DATA_OFFICER))
    html = client.get("/admin/signatures/signature/").content.decode()
    assert "Our open petition" in html and "Our draft" in html
    assert "Their open petition" not in html
    assert "Their secret draft" not in html


def test_the_membership_chooser_names_only_people_of_our_own_organisations(client, ours_and_theirs):
    ours, theirs = ours_and_theirs
    colleague = make_staff(ours, Role.EDITOR, username="our-colleague")
    stranger = make_staff(theirs, Role.ADMIN, username="their-director")
    admin = make_staff(ours, Role.ADMIN, username="our-admin")
    our_other = make_organisation()
    Membership.objects.create(user=admin, organisation=our_other, role=Role.ADMIN)
    sign_in(client, admin)

    html = client.get("/admin/campaigns/membership/add/").content.decode()
    assert "our-colleague" in html
    assert "their-director" not in html

    response = client.post(
        "/admin/campaigns/membership/add/",
        {"user": stranger.pk, "organisation": ours.pk, "role": Role.ANALYST},
    )
    assert response.status_code == 200, "refused with a form error, not saved"
    assert "Select a valid choice" in response.content.decode()
    assert not Membership.objects.filter(user=stranger, organisation=ours).exists()
    client.post(
        "/admin/campaigns/membership/add/",
        {"user": colleague.pk, "organisation": our_other.pk, "role": Role.ANALYST},
    )
    assert Membership.objects.filter(user=colleague, organisation=our_other).exists()


@pytest.mark.usefixtures("ours_and_theirs")
def test_the_operator_still_chooses_from_every_account(client, django_user_model):
    django_user_model.objects.create_user(username="brand-new-account", password="x" * 20)
    sign_in(
        client, django_user_model.objects.create_superuser(username="operator", password="y" * 20)
    )
    assert "brand-new-account" in client.get("/admin/campaigns/membership/add/").content.decode()
