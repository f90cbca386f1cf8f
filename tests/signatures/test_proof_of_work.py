"""The proof-of-work challenge: solved, it passes; missing, wrong or replayed, the signature is
kept but held — and the signer's browser sees exactly the same answer either way."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest

from tests.factories import make_petition
from tests.signatures.abuse_helpers import post_sign
from undersigned.signatures.models import HeldReason, Signature

pytestmark = pytest.mark.django_db


@pytest.fixture
def pow_on(settings):
    settings.PROOF_OF_WORK = True
    settings.PROOF_OF_WORK_COST = 2000  # cheap to solve here; the protocol is the same


def solve(client) -> str:
    """What proof-of-work.js does: fetch a challenge, find the number, encode the payload."""
    challenge = client.get("/proof-of-work/challenge.json").json()
    number = next(
        n
        for n in range(challenge["maxNumber"] + 1)
        if hashlib.sha256(f"{challenge['salt']}{n}".encode()).hexdigest() == challenge["challenge"]
    )
    payload = {key: challenge[key] for key in ("algorithm", "challenge", "salt", "signature")}
    return base64.b64encode(json.dumps({**payload, "number": number}).encode()).decode()


def test_a_solved_challenge_signs_without_being_held(client, pow_on):
    petition = make_petition()
    response = post_sign(client, petition, altcha=solve(client))
    assert response.status_code == 303
    assert Signature.objects.get().held_reason == ""


def test_without_a_solution_the_signature_is_stored_held_with_the_usual_answer(client, pow_on):
    petition = make_petition()
    solved = post_sign(client, petition, {"REMOTE_ADDR": "192.0.2.1"},
                       email="a@gmail.com", altcha=solve(client))  # fmt: skip
    unsolved = post_sign(client, petition, {"REMOTE_ADDR": "192.0.2.2"}, email="b@gmail.com")
    assert (unsolved.status_code, unsolved["Location"]) == (solved.status_code, solved["Location"])
    assert unsolved.content == solved.content
    held = dict(Signature.objects.values_list("email", "held_reason"))
    assert held == {"a@gmail.com": "", "b@gmail.com": HeldReason.NO_PROOF_OF_WORK}


def test_a_replayed_solution_is_held(client, pow_on):
    petition = make_petition()
    payload = solve(client)
    post_sign(client, petition, {"REMOTE_ADDR": "192.0.2.1"}, email="a@gmail.com", altcha=payload)
    post_sign(client, petition, {"REMOTE_ADDR": "192.0.2.2"}, email="b@gmail.com", altcha=payload)
    held = dict(Signature.objects.values_list("email", "held_reason"))
    assert held == {"a@gmail.com": "", "b@gmail.com": HeldReason.NO_PROOF_OF_WORK}


@pytest.mark.parametrize("payload", ["", "not base64!", base64.b64encode(b"[1, 2]").decode(),
                                     base64.b64encode(b'{"algorithm": "SHA-256"}').decode(),
                                     "A" * 5000])  # fmt: skip
def test_a_malformed_solution_is_held_not_an_error(client, pow_on, payload):
    petition = make_petition()
    assert post_sign(client, petition, altcha=payload).status_code == 303
    assert Signature.objects.get().held_reason == HeldReason.NO_PROOF_OF_WORK


def test_a_forged_number_is_held(client, pow_on):
    petition = make_petition()
    payload = json.loads(base64.b64decode(solve(client)))
    payload["number"] += 1
    forged = base64.b64encode(json.dumps(payload).encode()).decode()
    post_sign(client, petition, altcha=forged)
    assert Signature.objects.get().held_reason == HeldReason.NO_PROOF_OF_WORK


def test_the_challenge_is_never_cached_and_differs_each_time(client, pow_on, settings):
    first = client.get("/proof-of-work/challenge.json")
    assert first["Cache-Control"] == "no-store"
    assert first.json()["maxNumber"] == settings.PROOF_OF_WORK_COST
    assert first.json()["salt"] != client.get("/proof-of-work/challenge.json").json()["salt"]


def test_the_cached_petition_page_asks_the_browser_for_a_challenge(client, pow_on):
    petition = make_petition()
    html = client.get(f"/petitions/{petition.slug}/").content.decode()
    assert 'data-proof-of-work="/proof-of-work/challenge.json"' in html
    assert 'name="altcha"' in html
    assert "proof-of-work.js" in html


def test_switched_off_nothing_is_asked_and_nothing_held(client, settings):
    settings.PROOF_OF_WORK = False
    petition = make_petition()
    assert client.get("/proof-of-work/challenge.json").status_code == 404
    assert "data-proof-of-work" not in client.get(f"/petitions/{petition.slug}/").content.decode()
    post_sign(client, petition)
    assert Signature.objects.get().held_reason == ""
