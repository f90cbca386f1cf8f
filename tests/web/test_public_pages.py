from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.factories import make_case, make_petition, make_timeline_entry
from undersigned.campaigns.models import DatePrecision
from undersigned.petitions.models import PetitionStatus
from undersigned.worker import heartbeat

pytestmark = pytest.mark.django_db


def test_case_page_shows_a_month_precision_entry_as_month_and_year(client):
    case = make_case(slug="a-case")
    make_timeline_entry(case, date(2010, 11, 1), DatePrecision.MONTH, title_en="Warrant issued")
    make_timeline_entry(case, date(2012, 6, 19), DatePrecision.DAY, title_en="Enters embassy")
    response = client.get("/cases/a-case/", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert ">November 2010</time>" in html
    assert ">19 June 2012</time>" in html
    assert "Warrant issued" in html


def test_case_page_links_to_its_open_petition(client):
    petition = make_petition(title_en="Free them now")
    html = client.get(f"/cases/{petition.case.slug}/").content.decode()
    assert f'href="/petitions/{petition.slug}/"' in html
    assert "Free them now" in html


def test_draft_petition_is_not_found_for_the_public(client):
    petition = make_petition(status=PetitionStatus.DRAFT)
    response = client.get(f"/petitions/{petition.slug}/")
    assert response.status_code == 404
    assert petition.title not in response.content.decode()


def test_unpublished_case_is_not_found(client):
    case = make_case(is_published=False)
    assert client.get(f"/cases/{case.slug}/").status_code == 404


def test_unknown_slug_gets_the_designed_404_page(client):
    response = client.get("/petitions/no-such-petition/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert 'href="/"' in html  # a way back home


def test_petition_page_shows_demand_target_progress_and_the_sign_form(client):
    petition = make_petition(demand_en="Drop **all** charges.", target_en="The DoJ", goal=500)
    html = client.get(f"/petitions/{petition.slug}/").content.decode()
    assert "Drop <strong>all</strong> charges." in html
    assert "The DoJ" in html
    assert 'aria-valuemax="500"' in html
    for name in ("name", "email", "country", "privacy_consent", "updates_opt_in"):
        assert f'name="{name}"' in html
    assert 'name="updates_opt_in" id="id_updates_opt_in">' in html  # unticked by default


def test_story_with_script_is_inert_on_the_case_page(client):
    case = make_case(story_en="Hi <script>alert(1)</script> [x](javascript:alert(2))")
    html = client.get(f"/cases/{case.slug}/").content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)" in html  # shown as text, not run
    assert 'href="javascript' not in html.lower()


def test_home_lists_open_petitions_and_published_cases(client):
    open_petition = make_petition(title_en="Open one")
    draft = make_petition(title_en="Secret draft", status=PetitionStatus.DRAFT)
    html = client.get("/").content.decode()
    assert "Open one" in html
    assert open_petition.case.title in html
    assert "Secret draft" not in html
    assert draft.slug not in html


def test_pages_are_translated_by_accept_language(client):
    petition = make_petition(title_en="Free them", title_de="Befreit sie")
    html = client.get(f"/petitions/{petition.slug}/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Befreit sie" in html
    assert '<html lang="de">' in html


def test_missing_translation_falls_back_to_english(client):
    petition = make_petition(title_en="Free them")
    html = client.get(f"/petitions/{petition.slug}/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Free them" in html


def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["database"] == "ok"


def test_healthz_reports_the_worker_and_requires_it_only_when_asked(client, settings):
    settings.WORKER_STALE_SECONDS = 60
    # No worker has ever finished a round: reported stale, required only on request.
    assert client.get("/healthz").json()["worker"]["status"] == "stale"
    assert client.get("/healthz?worker=required").status_code == 503

    heartbeat.beat(now=timezone.now() - timedelta(seconds=5))
    answer = client.get("/healthz?worker=required")
    assert answer.status_code == 200
    assert answer.json()["worker"]["status"] == "ok"
    assert 5 <= answer.json()["worker"]["last_round_seconds_ago"] < 30

    heartbeat.beat(now=timezone.now() - timedelta(seconds=61))
    answer = client.get("/healthz?worker=required")
    assert answer.status_code == 503
    assert answer.json()["worker"]["status"] == "stale"
    assert client.get("/healthz").status_code == 200  # the site itself still answers
