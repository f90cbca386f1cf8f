"""The public read API: petitions and their counts for journalists and embeds, and nothing
about the people who signed."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

from tests.factories import make_petition, make_signature, pending
from undersigned.petitions.models import PetitionStatus
from undersigned.signatures.models import HeldReason
from undersigned.signatures.services import count_new_confirmations

pytestmark = pytest.mark.django_db


@pytest.fixture
def petition_with_signers():
    """Two confirmed (DE, FR), one pending, one held and one invalidated signature."""
    petition = make_petition(goal=10)
    make_signature(petition, name="Ada Lovelace", email="ada@example.org", country="DE")
    make_signature(petition, name="Blaise Pascal", email="blaise@example.org", country="FR")
    make_signature(petition, name="Pending Person", email="pending@example.org", **pending())
    make_signature(petition, name="Held Person", email="held@example.org",
                   held_reason=HeldReason.ADDRESS_RATE)  # fmt: skip
    make_signature(petition, name="Fraud Person", email="fraud@example.org",
                   invalidated_at=timezone.now())  # fmt: skip
    count_new_confirmations()
    return petition


def test_a_petition_reports_its_confirmed_valid_count_by_country(client, petition_with_signers):
    response = client.get(f"/api/v1/petitions/{petition_with_signers.slug}/")

    body = response.json()
    assert body["signature_count"] == 2  # not the pending, held or invalidated ones
    assert sorted((row["country"], row["count"]) for row in body["by_country"]) == [
        ("DE", 1),
        ("FR", 1),
    ]
    assert body["goal"] == 10
    assert body["url"].endswith(f"/petitions/{petition_with_signers.slug}/")


def test_no_signer_data_appears_anywhere_in_the_api(client, petition_with_signers):
    bodies = [
        client.get("/api/v1/petitions/").content,
        client.get(f"/api/v1/petitions/{petition_with_signers.slug}/").content,
        client.get("/api/v1/openapi.json").content,
    ]
    for body in bodies:
        for personal in (b"Ada", b"Lovelace", b"ada@example.org", b"Pascal", b"example.org"):
            assert personal not in body


def test_the_list_shows_open_and_closed_petitions_but_never_drafts(client):
    open_petition = make_petition()
    closed = make_petition(status=PetitionStatus.CLOSED)
    draft = make_petition(status=PetitionStatus.DRAFT)

    body = client.get("/api/v1/petitions/").json()

    slugs = {row["slug"] for row in body["results"]}
    assert {open_petition.slug, closed.slug} <= slugs
    assert draft.slug not in slugs
    assert client.get(f"/api/v1/petitions/{draft.slug}/").status_code == 404


def test_the_list_pages_with_limit_and_offset(client):
    for _ in range(3):
        make_petition()

    first = client.get("/api/v1/petitions/?limit=2").json()
    rest = client.get("/api/v1/petitions/?limit=2&offset=2").json()

    assert first["count"] == 3
    assert len(first["results"]) == 2 and len(rest["results"]) == 1
    assert not {r["slug"] for r in first["results"]} & {r["slug"] for r in rest["results"]}


@pytest.mark.parametrize(
    "query", ["limit=0", "limit=101", "limit=ten", "offset=-1", "offset=" + "9" * 40]
)
def test_bad_paging_gets_a_clear_422(client, query):
    response = client.get(f"/api/v1/petitions/?{query}")

    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail.split(":")[0] in {"limit", "offset"}


def test_an_unknown_or_absurd_slug_is_a_json_404(client):
    for slug in ["no-such-petition", "x" * 300]:
        response = client.get(f"/api/v1/petitions/{slug}/")
        assert response.status_code == 404
        assert "detail" in response.json()


def test_responses_may_be_cached_and_read_from_any_site(client, petition_with_signers):
    response = client.get(f"/api/v1/petitions/{petition_with_signers.slug}/")

    assert "max-age=5" in response["Cache-Control"]
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Set-Cookie" not in response


def test_the_openapi_document_describes_what_the_endpoints_return(client, petition_with_signers):
    spec = json.loads(client.get("/api/v1/openapi.json").content)

    assert {"/api/v1/petitions/", "/api/v1/petitions/{slug}/"} <= set(spec["paths"])
    detail_fields = set(spec["components"]["schemas"]["PetitionDetail"]["properties"])
    returned = client.get(f"/api/v1/petitions/{petition_with_signers.slug}/").json()
    assert set(returned) == detail_fields


BAD_VALUES = ["ten", "-1", "0", "101", "9" * 40, "1.5", ""]


def test_every_answer_the_api_gives_to_bad_input_is_in_the_openapi_document(client):
    """Each operation's query parameters, given bad values, answer only statuses the document
    lists for it, with the documented body (issue 19: the 422s were missing)."""
    make_petition()
    spec = client.get("/api/v1/openapi.json").json()
    problem = spec["components"]["schemas"]["Problem"]
    seen = set()
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            documented = {int(code) for code in operation["responses"]}
            url = path.replace("{slug}", "no-such-petition")
            queries = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
            for name, value in [(name, value) for name in queries for value in BAD_VALUES]:
                response = getattr(client, method)(url, {name: value})
                assert response.status_code in documented, (path, name, value)
                seen.add(response.status_code)
                if response.status_code >= 400:
                    assert set(response.json()) == set(problem["properties"])
    assert 422 in seen, "the bad values provoke the 422 the list documents"


def test_a_debate_is_in_the_api_with_its_arguments_and_no_personal_data(client):
    from tests.debates.helpers import add, make_debate, submit
    from undersigned.debates import services, tallies

    debate = make_debate()
    pro = add(debate, "for", claim="A published claim")
    add(debate, "against", claim="Its rebuttal", replies_to=pro)
    submit(debate, claim="Waiting for moderation", email="rita@example.org")
    services.cast_vote(pro, client_ip="192.0.2.1")
    tallies.tally_new_votes()
    response = client.get(f"/api/v1/cases/{debate.case.slug}/debates/{debate.slug}/")
    body = response.json()
    assert response.status_code == 200 and body["stance"] is None
    assert [a["claim"] for a in body["arguments"]] == ["A published claim", "Its rebuttal"]
    assert body["arguments"][0]["convinced"] == 1 and body["arguments"][1]["replies_to"] == pro.pk
    assert body["arguments"][0]["sources"][0]["domain"] == "ohchr.org"
    assert "rita" not in response.content.decode().lower()
    assert "Waiting for moderation" not in response.content.decode()
    spec = client.get("/api/v1/openapi.json").json()
    assert set(body) == set(spec["components"]["schemas"]["DebateDetail"]["properties"])
    missing = client.get(f"/api/v1/cases/{debate.case.slug}/debates/nope/")
    assert missing.status_code == 404 and set(missing.json()) == {"detail"}
