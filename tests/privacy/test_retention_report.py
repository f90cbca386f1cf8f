"""The staff's retention dry run: numbers and dates that match the next run, and no names."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.test import Client

from tests.factories import make_staff
from tests.privacy.retention_helpers import build_world, days
from tests.sign_in import sign_in
from undersigned.campaigns.models import Role
from undersigned.petitions.models import PetitionStatus, RetentionPolicy
from undersigned.privacy.retention.rules import apply_retention
from undersigned.signatures.models import Signature

pytestmark = pytest.mark.django_db


def _report_page(client: Client, slug: str) -> str:
    response = client.get(f"/staff/petitions/{slug}/retention/")
    assert response.status_code == 200
    return response.content.decode()


def _row(page: str, heading: str) -> str:
    """The number in the table row whose heading starts with `heading`."""
    start = page.index(heading)
    cell = page.index("<td>", start) + len("<td>")
    return page[cell : page.index("</td>", cell)]


def test_data_officer_sees_what_the_next_run_will_do_and_it_does_exactly_that(
    client: Client,
) -> None:
    world = build_world()
    petition = world.petitions["close6"]
    sign_in(client, make_staff(petition.case.organisation, Role.DATA_OFFICER))
    with time_machine.travel(days(31), tick=False):
        page = _report_page(client, petition.slug)
        run = apply_retention()
    assert _row(page, "Anonymise") == str(run.anonymised[petition.pk]) == "0"
    assert _row(page, "Delete") == str(run.purged[petition.pk]) == "1"
    assert _row(page, "Clear network data") == str(run.network_cleared[petition.pk]) == "4"
    with time_machine.travel(datetime(2026, 7, 15, 12, tzinfo=UTC), tick=False):
        page = _report_page(client, petition.slug)
        run = apply_retention()
    assert _row(page, "Anonymise") == str(run.anonymised[petition.pk]) == "4"
    assert "6 months after the petition closes" in page
    assert "applies from 15 July 2026" in page


def test_report_names_no_signer(client: Client) -> None:
    world = build_world()
    petition = world.petitions["close6"]
    sign_in(client, make_staff(petition.case.organisation, Role.ADMIN))
    page = _report_page(client, petition.slug)
    for signature in Signature.objects.filter(petition=petition):
        assert signature.name not in page
        assert signature.email not in page


def test_report_says_an_open_petition_without_closing_date_is_never_anonymised(
    client: Client,
) -> None:
    world = build_world()
    petition = world.petitions["open"]
    sign_in(client, make_staff(petition.case.organisation, Role.ADMIN))
    page = _report_page(client, petition.slug)
    assert "no closing date, so nothing is anonymised" in page


def test_report_explains_the_delivery_policy_without_a_delivery(client: Client) -> None:
    world = build_world()
    petition = world.petitions["undelivered"]
    assert petition.retention_policy == RetentionPolicy.MONTH_AFTER_DELIVERY
    assert petition.status == PetitionStatus.OPEN  # the in-memory copy; the row is closed
    sign_in(client, make_staff(petition.case.organisation, Role.DATA_OFFICER))
    page = _report_page(client, petition.slug)
    assert "No delivery is recorded yet" in page


def test_report_counts_the_subscribers_it_keeps(client: Client) -> None:
    world = build_world()
    petition = world.petitions["subscribed"]
    sign_in(client, make_staff(petition.case.organisation, Role.DATA_OFFICER))
    with time_machine.travel(days(12), tick=False):
        page = _report_page(client, petition.slug)
    assert "1 signer receives updates and is kept." in page
    assert _row(page, "Anonymise") == "3"
