"""The count's history, the trending list, and a petition's milestones, response and outcome
in the public API."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from tests.factories import make_petition, make_signatures
from tests.moderation.helpers import count_confirmations
from undersigned.petitions.models import Milestone, Outcome
from undersigned.petitions.outcomes import change_outcome, record_response
from undersigned.signatures.models import HourlyCount
from undersigned.signatures.selectors import last_complete_hour, round_count
from undersigned.signatures.services import recount_petition

pytestmark = pytest.mark.django_db


def ago(**delta) -> datetime:
    return timezone.now() - timedelta(**delta)


@pytest.fixture
def petition():
    petition = make_petition(opens_at=ago(days=10))
    make_signatures(petition, 3, country="DE", confirmed_at=ago(days=9))
    make_signatures(petition, 2, country="FR", confirmed_at=ago(hours=2))
    make_signatures(petition, 1, country="DE", confirmed_at=ago(minutes=1))
    count_confirmations()
    cache.clear()
    return petition


def history(client, petition, **params):
    response = client.get(f"/api/v1/petitions/{petition.slug}/history/", params)
    assert response.status_code == 200, response.content
    return response


def test_history_per_day_and_per_hour_equals_a_recount(client, petition):
    body = history(client, petition).json()
    total = recount_petition(petition.pk)
    assert body["signature_count"] == total == 6
    assert sum(day["count"] for day in body["daily"]) == total
    assert len(body["daily"]) == 11  # from the opening day to today, empty days included
    assert len(body["hourly"]) == 168
    assert sum(hour["count"] for hour in body["hourly"]) == 3  # the last 7 days only
    assert {c["country"]: c["count"] for c in body["by_country"]} == {"DE": 4, "FR": 2}


def test_history_of_one_country(client, petition):
    body = history(client, petition, country="FR", hours=24).json()
    assert body["country"] == "FR"
    assert sum(day["count"] for day in body["daily"]) == 2
    assert len(body["hourly"]) == 24
    assert sum(hour["count"] for hour in body["hourly"]) == 2


def test_history_is_cached_and_readable_from_any_site(client, petition):
    response = history(client, petition)
    assert "max-age=60" in response["Cache-Control"]
    assert response["Access-Control-Allow-Origin"] == "*"
    HourlyCount.objects.filter(petition=petition).delete()
    assert history(client, petition).json() == response.json()  # from the cache


@pytest.mark.parametrize(
    ("query", "reason"),
    [({"hours": "0"}, "hours"), ({"hours": "169"}, "hours"), ({"country": "germany"}, "country")],
)
def test_history_parameters_out_of_range_get_a_422_with_the_reason(client, petition, query, reason):
    response = client.get(f"/api/v1/petitions/{petition.slug}/history/", query)
    assert response.status_code == 422
    assert reason in response.json()["detail"]


def test_history_of_an_unknown_petition_is_a_404(client):
    assert client.get("/api/v1/petitions/nope/history/").status_code == 404


def test_trending_ranks_by_the_last_complete_hour_with_rounded_counts(client):
    hour = last_complete_hour()
    busy, quiet = make_petition(), make_petition()
    make_signatures(busy, 123, confirmed_at=hour + timedelta(minutes=10))
    make_signatures(quiet, 5, confirmed_at=hour + timedelta(minutes=20))
    make_signatures(quiet, 500, confirmed_at=hour + timedelta(hours=1, seconds=1))  # this hour
    count_confirmations()
    body = client.get("/api/v1/petitions/trending/", {"limit": 5}).json()
    assert datetime.fromisoformat(body["hour"].replace("Z", "+00:00")) == hour
    assert [(r["slug"], r["signatures_in_hour"]) for r in body["results"]][:2] == [
        (busy.slug, 120), (quiet.slug, 5),
    ]  # fmt: skip
    assert client.get("/api/v1/petitions/trending/", {"limit": 51}).status_code == 422


def test_round_count_keeps_two_significant_figures():
    assert [round_count(n) for n in (0, 7, 99, 123, 45_678)] == [0, 7, 99, 120, 45_000]


def test_the_api_shows_milestones_response_and_outcome(client):
    petition = make_petition(goal=1000)
    crossed = datetime(2026, 11, 1, 12, tzinfo=UTC)
    Milestone.objects.create(petition=petition, count=10, note_en="First", crossed_at=crossed)
    Milestone.objects.create(petition=petition, kind="goal")
    record_response(
        petition, responded_on=date(2026, 11, 20), acting_user=None,
        bodies={"en": "We refuse. <script>alert(1)</script>"}, link="https://gov.example/r",
    )  # fmt: skip
    change_outcome(petition, Outcome.LOST, on=date(2026, 11, 21), acting_user=None)
    body = client.get(f"/api/v1/petitions/{petition.slug}/").json()
    assert body["outcome"] == "lost"
    assert body["milestones"] == [
        {"count": 10, "is_goal": False, "note": "First", "crossed_at": "2026-11-01T12:00:00Z"},
        {"count": 1000, "is_goal": True, "note": "", "crossed_at": None},
    ]
    assert body["response"]["responded_on"] == "2026-11-20"
    assert "<script>" not in body["response"]["body_html"]
    assert body["response"]["link"] == "https://gov.example/r"
    assert [(c["to_outcome"], c["on"]) for c in body["outcome_history"]] == [
        ("responded", "2026-11-20"), ("lost", "2026-11-21"),
    ]  # fmt: skip
