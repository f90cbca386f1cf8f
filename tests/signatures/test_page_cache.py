"""The petition page is served from the cache and refreshed when its count changes."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import make_petition, make_signature
from undersigned.signatures.services import count_new_confirmations

pytestmark = pytest.mark.django_db


def confirmed_signature(petition, n: int) -> None:
    make_signature(petition, email=f"{n}@example.org")


def test_a_second_view_of_the_petition_page_touches_no_database(client):
    petition = make_petition()
    client.get(f"/petitions/{petition.slug}/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/petitions/{petition.slug}/")
    assert response.status_code == 200
    assert len(queries) == 0


def test_the_cached_page_is_refreshed_when_the_count_changes(client):
    petition = make_petition(goal=10)
    assert 'aria-valuenow="0"' in client.get(f"/petitions/{petition.slug}/").content.decode()
    confirmed_signature(petition, 1)
    count_new_confirmations()
    cache.delete(f"petition-count:{petition.pk}")  # as when the 2-second count cache expires
    assert 'aria-valuenow="1"' in client.get(f"/petitions/{petition.slug}/").content.decode()


def test_each_language_has_its_own_cached_page(client):
    petition = make_petition(title_en="Free them", title_de="Befreit sie")
    english = client.get(f"/petitions/{petition.slug}/", HTTP_ACCEPT_LANGUAGE="en")
    german = client.get(f"/petitions/{petition.slug}/", HTTP_ACCEPT_LANGUAGE="de")
    assert "Free them" in english.content.decode()
    assert "Befreit sie" in german.content.decode()


@pytest.mark.parametrize("path", ["/", "/cases/{case}/", "/petitions/{petition}/"])
def test_public_pages_can_be_cached_by_a_cdn(client, path):
    petition = make_petition()
    url = path.format(case=petition.case.slug, petition=petition.slug)
    cache_control = client.get(url)["Cache-Control"]
    assert "public" in cache_control
    assert "s-maxage=" in cache_control
    assert "stale-while-revalidate=" in cache_control


def test_a_page_with_form_errors_is_never_cached(client):
    petition = make_petition()
    from tests.factories import sign_form_data

    response = client.post(f"/petitions/{petition.slug}/sign/", sign_form_data(email="bad"))
    assert response.status_code == 422
    assert "public" not in response.get("Cache-Control", "")


def test_switching_language_remembers_the_choice_and_returns(client):
    petition = make_petition(title_en="Free them", title_de="Befreit sie")
    path = f"/petitions/{petition.slug}/"
    response = client.get("/language/", {"language": "de", "next": path})
    assert response.status_code == 302
    assert response["Location"] == path
    assert "Befreit sie" in client.get(path).content.decode()


def test_switching_language_never_redirects_to_another_site(client):
    response = client.get("/language/", {"language": "de", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_closing_the_petition_renews_its_cached_page(client):
    from undersigned.petitions.services import close_petition

    petition = make_petition()
    assert 'name="form_token"' in client.get(f"/petitions/{petition.slug}/").content.decode()
    close_petition(petition, acting_user=None)
    html = client.get(f"/petitions/{petition.slug}/").content.decode()
    assert "This petition is closed" in html
    assert 'name="form_token"' not in html


def test_a_change_made_by_another_process_shows_once_its_version_is_read_again(client):
    petition = make_petition(title_en="Old title")
    client.get(f"/petitions/{petition.slug}/")
    # Another process saves the petition: this process's caches know nothing of it …
    type(petition).objects.filter(pk=petition.pk).update(
        title_en="New title", updated_at=timezone.now()
    )
    # … until its cached petition version expires (a few seconds), simulated here.
    cache.delete(f"petition-changed:{petition.slug}")
    cache.delete(f"public-petition:{petition.slug}")
    assert "New title" in client.get(f"/petitions/{petition.slug}/").content.decode()
