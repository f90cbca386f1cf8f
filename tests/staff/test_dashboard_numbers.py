"""A campaigner reads a petition's numbers: confirmed, pending, invalidated, the rate, the
goal; and the hours and days the confirmations fall into."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from tests.factories import (
    expired,
    make_case,
    make_organisation,
    make_petition,
    make_signature,
    make_signatures,
    make_staff,
    pending,
)
from tests.sign_in import sign_in
from undersigned.campaigns.models import Role
from undersigned.signatures.selectors import (
    confirmations_per_day,
    confirmations_per_hour,
    signature_tally,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 14, 30, tzinfo=UTC)


def _number(html: str, name: str) -> str:
    found = re.search(rf'data-number="{name}">([^<]*)<', html)
    assert found, f"no {name} tile"
    return found.group(1)


def _dashboard_of(client, petition, organisation) -> str:
    sign_in(client, make_staff(organisation, Role.ANALYST))
    response = client.get(f"/staff/petitions/{petition.slug}/")
    assert response.status_code == 200
    return response.content.decode()


def test_dashboard_shows_confirmed_pending_invalidated_and_the_confirmation_rate(client):
    organisation = make_organisation()
    petition = make_petition(case=make_case(organisation=organisation), goal=40)
    make_signatures(petition, 6)  # confirmed
    make_signatures(petition, 3, **pending())
    make_signatures(petition, 2, **expired())
    make_signatures(petition, 1, invalidated_at=timezone.now())  # confirmed, then invalidated
    make_signatures(petition, 1, invalidated_at=timezone.now(), **pending())
    make_signatures(make_petition(), 5)  # another petition's

    html = _dashboard_of(client, petition, organisation)

    assert _number(html, "confirmed") == "6"
    assert _number(html, "pending") == "3"
    assert _number(html, "invalidated") == "2"
    assert _number(html, "rate") == "46.2%"  # 6 of the 13 signatures made
    assert "6 confirmed of all 13 signatures made" in html
    assert "2 whose link expired unconfirmed" in html
    assert _number(html, "goal") == "15%"  # 6 of 40


def test_a_petition_without_signatures_shows_zeros_and_no_rate(client):
    organisation = make_organisation()
    petition = make_petition(case=make_case(organisation=organisation))
    html = _dashboard_of(client, petition, organisation)
    assert _number(html, "confirmed") == "0"
    assert _number(html, "rate") == "—"
    assert "No confirmed signatures yet." in html


def test_tally_puts_every_signature_in_exactly_one_state():
    petition = make_petition()
    make_signatures(petition, 4)
    make_signatures(petition, 2, **pending())
    make_signatures(petition, 1, **expired())
    make_signatures(petition, 3, invalidated_at=timezone.now())
    make_signatures(petition, 2, country="FR")
    tally = signature_tally(petition)
    assert (tally.confirmed, tally.pending, tally.expired, tally.invalidated) == (6, 2, 1, 3)
    assert tally.signed == 12
    assert tally.confirmed_by_country == (("DE", 4), ("FR", 2))


def test_hourly_counts_put_confirmations_in_the_hour_they_happened():
    petition = make_petition(opens_at=NOW - timedelta(days=10))
    for minute in (datetime(2026, 3, 10, 14, 0), datetime(2026, 3, 10, 14, 29)):
        make_signature(petition, confirmed_at=minute.replace(tzinfo=UTC))
    make_signature(petition, confirmed_at=datetime(2026, 3, 10, 13, 0, tzinfo=UTC))
    make_signature(petition, confirmed_at=datetime(2026, 3, 10, 12, 59, 59, tzinfo=UTC))
    make_signature(petition, confirmed_at=datetime(2026, 3, 8, 15, 0, tzinfo=UTC))  # oldest hour
    make_signature(petition, confirmed_at=datetime(2026, 3, 8, 14, 59, tzinfo=UTC))  # too old
    make_signature(petition, confirmed_at=NOW, invalidated_at=NOW)  # not valid
    make_signature(petition, **pending(NOW))  # not confirmed

    hours = confirmations_per_hour(petition, now=NOW)

    assert len(hours) == 48
    assert hours[0] == (datetime(2026, 3, 8, 15, 0, tzinfo=UTC), 1)
    assert hours[-1] == (datetime(2026, 3, 10, 14, 0, tzinfo=UTC), 2)
    assert hours[-2] == (datetime(2026, 3, 10, 13, 0, tzinfo=UTC), 1)
    assert hours[-3] == (datetime(2026, 3, 10, 12, 0, tzinfo=UTC), 1)
    assert sum(count for _, count in hours) == 5


def test_daily_counts_follow_the_days_of_the_sites_time_zone():
    petition = make_petition(opens_at=datetime(2026, 3, 1, 10, 0, tzinfo=UTC))
    make_signature(petition, confirmed_at=datetime(2026, 3, 1, 10, 5, tzinfo=UTC))
    make_signature(petition, confirmed_at=datetime(2026, 3, 1, 22, 30, tzinfo=UTC))
    make_signature(petition, confirmed_at=datetime(2026, 3, 2, 0, 0, tzinfo=UTC))
    make_signature(petition, confirmed_at=datetime(2026, 3, 10, 9, 0, tzinfo=UTC))

    days = confirmations_per_day(petition, now=NOW)
    assert [day for day, _ in days] == [date(2026, 3, d) for d in range(1, 11)]
    assert dict(days)[date(2026, 3, 1)] == 2
    assert dict(days)[date(2026, 3, 2)] == 1
    assert dict(days)[date(2026, 3, 10)] == 1

    with timezone.override("Europe/Berlin"):  # 22:30 UTC is 23:30 there; 00:00 UTC is 01:00
        berlin = dict(confirmations_per_day(petition, now=NOW))
    assert berlin[date(2026, 3, 1)] == 2
    with timezone.override("Asia/Tokyo"):  # 22:30 UTC on 1 March is 07:30 on 2 March there
        tokyo = dict(confirmations_per_day(petition, now=NOW))
    assert (tokyo[date(2026, 3, 1)], tokyo[date(2026, 3, 2)]) == (1, 2)


def test_hourly_counts_follow_a_time_zone_with_half_hours():
    petition = make_petition(opens_at=NOW - timedelta(days=3))
    make_signature(petition, confirmed_at=datetime(2026, 3, 10, 8, 29, tzinfo=UTC))  # 13:59 IST
    make_signature(petition, confirmed_at=datetime(2026, 3, 10, 8, 30, tzinfo=UTC))  # 14:00 IST
    with timezone.override("Asia/Kolkata"):
        hours = confirmations_per_hour(petition, now=NOW)
    assert [(start.hour, start.minute) for start, _ in hours[-3:]] == [(18, 0), (19, 0), (20, 0)]
    by_hour = {start.hour: count for start, count in hours if start.day == 10}
    assert (by_hour[13], by_hour[14]) == (1, 1)


def test_daily_chart_goes_back_at_most_ninety_days():
    petition = make_petition(opens_at=NOW - timedelta(days=400))
    make_signature(petition, confirmed_at=NOW - timedelta(days=89))
    make_signature(petition, confirmed_at=NOW - timedelta(days=200))
    days = confirmations_per_day(petition, now=NOW)
    assert len(days) == 90
    assert days[0] == ((NOW - timedelta(days=89)).date(), 1)
    assert sum(count for _, count in days) == 1


def test_a_petition_opening_later_has_a_single_empty_day():
    petition = make_petition(opens_at=NOW + timedelta(days=5))
    assert confirmations_per_day(petition, now=NOW) == [(NOW.date(), 0)]
