"""The public count shows both parts — "N online + M on paper" — on the petition page, in
count.json and in the public API, and the goal's progress follows the petition's setting."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache

from tests.factories import make_petition, make_signatures
from tests.paper.helpers import apply, csv_bytes, preview
from undersigned.paper import services
from undersigned.signatures.services import count_new_confirmations

pytestmark = pytest.mark.django_db


@pytest.fixture
def petition():
    petition = make_petition(goal=10)
    make_signatures(petition, 3)
    count_new_confirmations()
    apply(preview(petition, csv_bytes("A,,DE", "B,,FR")))
    cache.clear()
    return petition


def test_the_petition_page_shows_both_parts(client, petition):
    text = " ".join(client.get(f"/petitions/{petition.slug}/").content.decode().split())
    assert (
        "<span data-count-online>3</span> online + <span data-count-paper>2</span> on paper" in text
    )
    assert "paper signatures are not counted toward the goal" in text
    assert 'aria-valuenow="3"' in text


def test_count_json_gives_both_parts_and_what_counts_toward_the_goal(client, petition):
    body = json.loads(client.get(f"/petitions/{petition.slug}/count.json").content)
    assert (body["signature_count"], body["paper_count"], body["count_toward_goal"]) == (3, 2, 3)
    services.set_toward_goal(petition, True, acting_user=None)
    cache.clear()
    body = json.loads(client.get(f"/petitions/{petition.slug}/count.json").content)
    assert (body["count_toward_goal"], body["paper_counts_toward_goal"]) == (5, True)


def test_the_page_shows_the_paper_batch_at_once_after_a_cached_render(client, petition):
    client.get(f"/petitions/{petition.slug}/")  # cached now
    apply(preview(petition, csv_bytes("C,,DE")))
    text = client.get(f"/petitions/{petition.slug}/").content.decode()
    assert "<span data-count-paper>3</span>" in text


def test_the_api_exposes_both_parts(client, petition):
    detail = client.get(f"/api/v1/petitions/{petition.slug}/").json()
    assert (detail["signature_count"], detail["paper_count"]) == (3, 2)
    assert sorted((c["country"], c["count"]) for c in detail["paper_by_country"]) == [
        ("DE", 1),
        ("FR", 1),
    ]
    listed = client.get("/api/v1/petitions/").json()["results"][0]
    assert (listed["signature_count"], listed["paper_count"]) == (3, 2)


def test_the_partners_private_api_gives_the_paper_count(client, petition):
    from tests.partners.helpers import get, make_key, petition_url

    key = make_key(petition.case.organisation)
    counts = get(client, petition_url(petition), key).json()["counts"]
    assert (counts["online"], counts["paper_count"]) == (3, 2)
