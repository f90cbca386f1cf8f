"""Signatures per country per day: numbers only, for every role."""

import csv
import io
from datetime import UTC, datetime

import pytest

from tests.factories import (
    make_case,
    make_organisation,
    make_petition,
    make_signature,
    make_signatures,
    make_staff,
)
from tests.privacy.helpers import streamed_body
from tests.sign_in import sign_in
from undersigned.campaigns.models import Role

pytestmark = pytest.mark.django_db


def url(petition):
    return f"/staff/petitions/{petition.slug}/export/countries-by-day.csv"


def test_analyst_downloads_the_count_per_country_per_day_and_source(client):
    organisation = make_organisation()
    petition = make_petition(case=make_case(organisation=organisation))
    day_one = datetime(2021, 1, 4, 9, tzinfo=UTC)
    day_two = datetime(2021, 1, 5, 18, tzinfo=UTC)
    make_signatures(petition, 3, country="DE", confirmed_at=day_one)
    make_signatures(petition, 2, country="ES", confirmed_at=day_one)
    make_signatures(petition, 3, country="DE", confirmed_at=day_two)
    make_signature(petition, country="DE", confirmed_at=day_two, source="newsletter")
    make_signature(petition, country="DE", confirmed_at=None)  # pending: not counted
    make_signature(petition, country="DE", confirmed_at=day_two, invalidated_at=day_two)
    sign_in(client, make_staff(organisation, Role.ANALYST))
    rows = list(csv.reader(io.StringIO(streamed_body(client.get(url(petition))))))
    assert rows == [
        ["date", "country_code", "country", "source", "signatures"],
        ["2021-01-04", "DE", "Germany", "", "3"],
        ["2021-01-04", "ES", "Spain", "", "2"],
        ["2021-01-05", "DE", "Germany", "", "3"],
        ["2021-01-05", "DE", "Germany", "newsletter", "1"],
    ]


def test_days_are_counted_in_the_sites_time_zone(client, settings):
    settings.TIME_ZONE = "Europe/Berlin"
    organisation = make_organisation()
    petition = make_petition(case=make_case(organisation=organisation))
    # 23:30 UTC on the 4th is already the 5th in Berlin.
    make_signatures(
        petition, 1, country="DE", confirmed_at=datetime(2021, 1, 4, 23, 30, tzinfo=UTC)
    )
    sign_in(client, make_staff(organisation, Role.ANALYST))
    rows = list(csv.reader(io.StringIO(streamed_body(client.get(url(petition))))))
    assert rows[1][0] == "2021-01-05"


def test_analyst_of_another_organisation_cannot_download_the_counts(client):
    petition = make_petition()
    sign_in(client, make_staff(make_organisation(), Role.ANALYST))
    assert client.get(url(petition)).status_code == 404
