"""The petition page shows the next milestone, the crossed ones with their dates, the
target's response prominently, a victory when won, and a sparkline with words for it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from tests.factories import make_petition, make_signatures
from tests.moderation.helpers import count_confirmations
from undersigned.petitions.models import Milestone, Outcome
from undersigned.petitions.outcomes import change_outcome, record_response, save_milestone

pytestmark = pytest.mark.django_db


def page(client, petition) -> str:
    cache.clear()
    response = client.get(f"/petitions/{petition.slug}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_shows_the_next_milestone_and_the_crossed_ones_with_dates(client):
    petition = make_petition(goal=1000)
    Milestone.objects.create(
        petition=petition, count=10, crossed_at=datetime(2026, 11, 3, 9, tzinfo=UTC)
    )
    Milestone.objects.create(petition=petition, count=500, note_en="We hand it over in Quito")
    html = page(client, petition)
    assert "reached on 3 November 2026" in html
    assert "Next milestone: 500 signatures." in html
    assert "We hand it over in Quito" in html


def test_a_milestone_added_later_appears_at_once(client):
    petition = make_petition()
    page(client, petition)
    save_milestone(petition, count=250, fields={}, acting_user=None)
    assert (
        "Next milestone: 250 signatures."
        in client.get(f"/petitions/{petition.slug}/").content.decode()
    )


def test_the_response_is_shown_sanitised_and_a_win_shows_victory(client):
    petition = make_petition(target_en="The Ministry")
    record_response(
        petition, responded_on=date(2026, 11, 20), acting_user=None,
        bodies={"en": "We **agree**. <script>alert(1)</script>"},
    )  # fmt: skip
    html = page(client, petition)
    assert "The response from The Ministry" in html
    assert "<strong>agree</strong>" in html
    assert "<script>alert" not in html
    assert "Victory!" not in html
    change_outcome(petition, Outcome.WON, on=date(2026, 11, 25), acting_user=None)
    html = page(client, petition)
    assert "Victory!" in html
    assert '<time datetime="2026-11-20">20 November 2026</time>: Responded' in html
    assert '<time datetime="2026-11-25">25 November 2026</time>: Won' in html


def test_the_sparkline_is_drawn_with_a_text_alternative(client):
    petition = make_petition(opens_at=timezone.now() - timedelta(days=5))
    make_signatures(petition, 4, confirmed_at=timezone.now() - timedelta(days=2))
    make_signatures(petition, 1)
    count_confirmations()
    html = page(client, petition)
    assert '<polyline class="sparkline__line"' in html
    assert "Signatures per day over the last 6 days: 5 in all" in html
    assert "1 today" in html


def test_no_sparkline_before_the_first_signature(client):
    assert "sparkline__line" not in page(client, make_petition())


def test_the_milestones_are_shown_in_german_and_spanish(client):
    petition = make_petition(languages=["en", "de", "es"])
    Milestone.objects.create(petition=petition, count=500)
    cache.clear()
    german = client.get(f"/petitions/{petition.slug}/", HTTP_ACCEPT_LANGUAGE="de").content
    assert "Nächster Meilenstein: 500 Unterschriften." in german.decode()
    cache.clear()
    spanish = client.get(f"/petitions/{petition.slug}/", HTTP_ACCEPT_LANGUAGE="es").content
    assert "Próximo hito: 500 firmas." in spanish.decode()


def test_the_sparkline_of_an_old_petition_shows_its_last_30_days(client):
    petition = make_petition(opens_at=timezone.now() - timedelta(days=400))
    make_signatures(petition, 7, confirmed_at=timezone.now() - timedelta(days=300))
    make_signatures(petition, 3, confirmed_at=timezone.now() - timedelta(days=3))
    count_confirmations()
    html = page(client, petition)
    assert "Signatures per day over the last 30 days: 3 in all" in html
