"""The CSV of signers: names for those who handle them, emails only for data officers."""

import csv
import io
from datetime import UTC, datetime

import pytest

from tests.factories import make_case, make_organisation, make_petition, make_signature, make_staff
from tests.privacy.helpers import streamed_body
from tests.sign_in import sign_in
from undersigned.campaigns.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def petition():
    petition = make_petition(case=make_case(organisation=make_organisation()))
    confirmed = datetime(2021, 1, 4, 12, 30, tzinfo=UTC)
    make_signature(petition, name="Jane Doe", country="DE", email="jane@example.org",
                  confirmed_at=confirmed)  # fmt: skip
    make_signature(petition, name="Juan Pérez", country="ES", email="juan@example.org",
                  confirmed_at=confirmed)  # fmt: skip
    make_signature(petition, name="Pending Person", confirmed_at=None)
    make_signature(petition, name="Fraudulent Person", invalidated_at=confirmed)
    return petition


def url(petition, query=""):
    return f"/staff/petitions/{petition.slug}/export/signatures.csv{query}"


def export_as(client, petition, role, query=""):
    sign_in(client, make_staff(petition.case.organisation, role))
    return client.get(url(petition, query))


def rows_of(response):
    return list(csv.reader(io.StringIO(streamed_body(response))))


def test_data_officer_exports_confirmed_signers_with_their_emails(client, petition):
    rows = rows_of(export_as(client, petition, Role.DATA_OFFICER, "?with_email=1"))
    assert rows == [
        ["name", "country_code", "country", "confirmed_on", "email"],
        ["Jane Doe", "DE", "Germany", "2021-01-04", "jane@example.org"],
        ["Juan Pérez", "ES", "Spain", "2021-01-04", "juan@example.org"],
    ]


def test_editor_exports_names_countries_and_dates_without_emails(client, petition):
    response = export_as(client, petition, Role.EDITOR)
    rows = rows_of(response)
    assert rows == [
        ["name", "country_code", "country", "confirmed_on"],
        ["Jane Doe", "DE", "Germany", "2021-01-04"],
        ["Juan Pérez", "ES", "Spain", "2021-01-04"],
    ]


def test_editor_asking_for_emails_is_refused(client, petition):
    response = export_as(client, petition, Role.EDITOR, "?with_email=1")
    assert response.status_code == 403
    assert b"jane@example.org" not in response.content


def test_analyst_cannot_export_signers(client, petition):
    response = export_as(client, petition, Role.ANALYST)
    assert response.status_code == 403
    assert "Jane Doe" not in response.content.decode()


def test_data_officer_of_another_organisation_is_told_the_petition_does_not_exist(client, petition):
    sign_in(client, make_staff(make_organisation(), Role.DATA_OFFICER))
    assert client.get(url(petition, "?with_email=1")).status_code == 404


def test_signed_out_visitor_is_sent_to_sign_in(client, petition):
    response = client.get(url(petition))
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/?next=")


def test_the_export_downloads_as_a_file_that_is_never_cached(client, petition):
    response = export_as(client, petition, Role.DATA_OFFICER)
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(f'attachment; filename="{petition.slug}-')
    assert "no-store" in response["Cache-Control"]


def test_country_names_follow_the_staff_members_language(client, petition):
    sign_in(client, make_staff(petition.case.organisation, Role.EDITOR))
    response = client.get(url(petition), HTTP_ACCEPT_LANGUAGE="de")
    assert rows_of(response)[1][2] == "Deutschland"
