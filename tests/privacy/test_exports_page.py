"""The exports page offers each role exactly the downloads it may make."""

import pytest

from tests.factories import make_case, make_organisation, make_petition, make_staff
from tests.sign_in import sign_in
from undersigned.campaigns.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def petition():
    return make_petition(case=make_case(organisation=make_organisation()))


def links_for(client, petition, role):
    sign_in(client, make_staff(petition.case.organisation, role))
    response = client.get(f"/staff/petitions/{petition.slug}/exports/")
    assert response.status_code == 200
    html = response.content.decode()
    base = f"/staff/petitions/{petition.slug}"
    return {
        "aggregate": f"{base}/export/countries-by-day.csv" in html,
        "names": f'{base}/export/signatures.csv"' in html,
        "emails": f"{base}/export/signatures.csv?with_email=1" in html,
        "pdf": f'{base}/delivery.pdf"' in html,
        "pdf_names": f"{base}/delivery.pdf?names=1&amp;part=1" in html,
    }


def test_analyst_is_offered_only_the_counts(client, petition):
    assert links_for(client, petition, Role.ANALYST) == {
        "aggregate": True, "names": False, "emails": False, "pdf": False, "pdf_names": False,
    }  # fmt: skip


def test_editor_is_offered_names_and_the_delivery_document_but_no_emails(client, petition):
    assert links_for(client, petition, Role.EDITOR) == {
        "aggregate": True, "names": True, "emails": False, "pdf": True, "pdf_names": True,
    }  # fmt: skip


def test_data_officer_is_offered_every_download(client, petition):
    assert all(links_for(client, petition, Role.DATA_OFFICER).values())


def test_member_of_another_organisation_is_told_the_petition_does_not_exist(client, petition):
    sign_in(client, make_staff(make_organisation(), Role.ADMIN))
    assert client.get(f"/staff/petitions/{petition.slug}/exports/").status_code == 404
