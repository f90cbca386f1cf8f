"""The log over HTTP in the C2SP formats, read back by the verifier as an outsider would."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import make_petition
from tests.transparency.helpers import run_counting, sign_and_confirm
from undersigned.petitions.models import PetitionStatus
from undersigned.transparency import keys, services, tlog
from undersigned.transparency.models import EntryKind, LogEntry

pytestmark = pytest.mark.django_db


def grow(petition, n: int) -> None:
    """n signature-like entries, appended as the counting job appends them."""
    for start in range(0, n, 500):
        batch = [(EntryKind.SIGNATURE, tlog.signature_entry(i.to_bytes(32, "big"), petition.pk),
                  None) for i in range(start, min(n, start + 500))]  # fmt: skip
        services.append(petition.pk, batch)


def client_get(client: Client):
    def get(url: str) -> bytes:
        response = client.get(url.removeprefix("http://testserver"))
        assert response.status_code == 200, (url, response.status_code)
        return response.content

    return get


def test_tiles_and_checkpoint_verify_from_outside(client):
    petition = make_petition(slug="free-them")
    grow(petition, 70_000)  # three levels of tiles, partial at every level
    note, counts = tlog.verify_log("/log/free-them/", keys.signer().verifier_key,
                                   get=client_get(client))  # fmt: skip
    assert counts["count"] == 70_000
    assert tlog.parse_checkpoint(tlog.open_note(note, keys.signer().verifier_key))[1] == 70_001
    level1 = client.get("/log/free-them/tile/1/000.p/17").content
    level2 = client.get("/log/free-them/tile/2/000.p/1").content
    hashes = [bytes(h) for h in LogEntry.objects.filter(petition=petition).order_by("index")
              .values_list("leaf_hash", flat=True)]  # fmt: skip
    assert level1[:32] == tlog.root_of(hashes[:256])
    assert level2 == tlog.root_of(hashes[: 256 * 256])


def test_tiles_are_immutable_and_the_checkpoint_is_short_lived(client):
    make_petition(slug="free-them")
    tile = client.get("/log/free-them/tile/0/000.p/1")
    checkpoint = client.get("/log/free-them/checkpoint")
    assert (
        "immutable" in tile["Cache-Control"] and tile["Content-Type"] == "application/octet-stream"
    )
    assert "max-age=5" in checkpoint["Cache-Control"]
    assert checkpoint.content.decode().startswith(keys.origin("free-them") + "\n1\n")
    assert tile["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("path", ["tile/0/1", "tile/0/0001", "tile/64/000", "tile/01/000",
                                  "tile/0/000.p/0", "tile/0/000.p/256", "tile/entries/x0/000",
                                  "tile/a/000"])  # fmt: skip
def test_malformed_tile_paths_are_400(client, path):
    make_petition(slug="free-them")
    assert client.get(f"/log/free-them/{path}").status_code == 400


def test_unknown_petitions_drafts_and_missing_tiles_are_404(client):
    make_petition(slug="free-them")
    make_petition(slug="a-draft", status=PetitionStatus.DRAFT)
    assert client.get("/log/nobody/checkpoint").status_code == 404
    assert client.get("/log/a-draft/checkpoint").status_code == 404
    assert client.get("/log/a-draft/tile/0/000.p/1").status_code == 404
    assert client.get("/log/free-them/tile/0/000").status_code == 404  # only 1 entry so far
    assert client.get("/log/free-them/tile/0/000.p/2").status_code == 404


def test_the_well_known_key_verifies_the_checkpoints(client):
    make_petition(slug="free-them")
    key = client.get("/.well-known/undersigned-log-key").json()
    note = client.get("/log/free-them/checkpoint").content.decode()
    assert tlog.open_note(note, key["verifier_key"]).startswith(keys.origin("free-them"))
    assert key["key_id"] == key["verifier_key"].split("+")[1] and key["algorithm"] == "Ed25519"


def test_old_checkpoints_stay_and_the_new_one_extends_them(client):
    petition = make_petition(slug="free-them")
    sign_and_confirm(petition, "a@example.org", "b@example.org")
    run_counting()
    listing = client.get("/log/free-them/").content.decode().split()
    assert listing == ["checkpoint/1", "checkpoint/3"]
    old = client.get("/log/free-them/checkpoint/1").content.decode()
    vkey = keys.signer().verifier_key
    tlog.verify_log("/log/free-them/", vkey, previous=old, get=client_get(client))


def test_a_receipt_finds_its_leaf(client):
    petition = make_petition(slug="free-them")
    (signature,) = sign_and_confirm(petition, "a@example.org")
    run_counting()
    leaf = tlog.leaf_hash(
        tlog.signature_entry(tlog.urlsafe_secret(signature.receipt_secret), petition.pk)
    )
    assert client.get(f"/log/free-them/leaf/{leaf.hex()}").json() == {"index": 1}
    assert client.get(f"/log/free-them/leaf/{'0' * 64}").status_code == 404


def test_the_petition_page_links_to_the_verifier(client):
    make_petition(slug="free-them")
    page = client.get("/petitions/free-them/").content.decode()
    assert 'href="/log/free-them/verify"' in page
