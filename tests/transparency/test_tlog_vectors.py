"""The log's hashing, proofs and signatures against published test vectors (RFC 9162 trees
from transparency-dev/merkle, signed notes from Go's golang.org/x/mod/sumdb/note)."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from undersigned.transparency import tlog

FIXTURES = Path(__file__).parent.parent / "fixtures"
MERKLE = json.loads((FIXTURES / "merkle_vectors.json").read_text())
NOTE = json.loads((FIXTURES / "signed_note_vectors.json").read_text())
LEAVES = [bytes.fromhex(h) for h in MERKLE["leaf_inputs_hex"]]
HASHES = [tlog.leaf_hash(leaf) for leaf in LEAVES]


def _mth(start: int, end: int) -> bytes:
    return tlog.root_of(HASHES[start:end])


def _b(text: str) -> bytes:
    return base64.b64decode(text)


@pytest.mark.parametrize("size", range(9))
def test_tree_roots_equal_the_published_roots(size):
    assert tlog.root_of(HASHES[:size]).hex() == MERKLE["root_hashes_hex"][size]


@pytest.mark.parametrize("case", MERKLE["inclusion"], ids=lambda c: c["file"])
def test_inclusion_proofs_verify_exactly_as_the_vectors_say(case):
    args = (case["leafIdx"], case["treeSize"], _b(case["leafHash"]),
            [_b(p) for p in case["proof"] or []], _b(case["root"]))  # fmt: skip
    if case["wantErr"]:
        with pytest.raises(tlog.VerificationError):
            tlog.verify_inclusion(*args)
    else:
        tlog.verify_inclusion(*args)


@pytest.mark.parametrize("case", MERKLE["consistency"], ids=lambda c: c["file"])
def test_consistency_proofs_verify_exactly_as_the_vectors_say(case):
    args = (case["size1"], case["size2"], _b(case["root1"]), _b(case["root2"]),
            [_b(p) for p in case["proof"] or []])  # fmt: skip
    if case["wantErr"]:
        with pytest.raises(tlog.VerificationError):
            tlog.verify_consistency(*args)
    else:
        tlog.verify_consistency(*args)


# The happy paths over the 8-leaf tree of the published leaves (a few use other trees).
OUR_TREE = [c for c in MERKLE["inclusion"] if not c["wantErr"] and c["treeSize"] <= len(HASHES)
            and _b(c["root"]) == _mth(0, c["treeSize"])]  # fmt: skip


@pytest.mark.parametrize("case", OUR_TREE, ids=lambda c: c["file"])
def test_the_inclusion_proofs_we_make_equal_the_published_ones(case):
    proof = tlog.inclusion_proof(case["leafIdx"], case["treeSize"], _mth)
    assert proof == [_b(p) for p in case["proof"] or []]


@pytest.mark.parametrize("old", range(1, 9))
@pytest.mark.parametrize("new", range(1, 9))
def test_the_consistency_proofs_we_make_verify(old, new):
    if old > new:
        return
    proof = tlog.consistency_proof(old, new, _mth)
    tlog.verify_consistency(old, new, _mth(0, old), _mth(0, new), proof)


def test_published_consistency_proofs_equal_ours():
    happy = [c for c in MERKLE["consistency"] if c["desc"] == "happy path" and c["size1"]]
    assert happy
    for case in happy:
        ours = tlog.consistency_proof(case["size1"], case["size2"], _mth)
        assert ours == [_b(p) for p in case["proof"] or []], case["file"]


def test_signing_a_note_gives_the_published_signature():
    signer = tlog.Signer(NOTE["signer_key"])
    assert signer.verifier_key == NOTE["verifier_key"]
    assert signer.sign(NOTE["text"]) == NOTE["signed"]
    assert tlog.open_note(NOTE["signed"], NOTE["verifier_key"]) == NOTE["text"]


def test_a_note_with_a_changed_text_fails_its_signature():
    forged = NOTE["signed"].replace("answer", "question")
    with pytest.raises(tlog.VerificationError, match="not valid"):
        tlog.open_note(forged, NOTE["verifier_key"])


def test_a_note_signed_by_another_key_fails():
    other = tlog.Signer(tlog.new_signer_key("PeterNeumann"))
    with pytest.raises(tlog.VerificationError, match="not signed by"):
        tlog.open_note(other.sign(NOTE["text"]), NOTE["verifier_key"])


@pytest.mark.parametrize(
    ("n", "path"), [(0, "000"), (7, "007"), (1000, "x001/000"), (1234067, "x001/x234/067")]
)
def test_tile_indexes_are_written_and_read_as_tlog_tiles_says(n, path):
    assert tlog.tile_index_path(n) == path
    assert tlog.parse_tile_index(path) == (n, 256)
    assert tlog.parse_tile_index(path + ".p/17") == (n, 17)


@pytest.mark.parametrize("bad", ["1", "0001", "x1/000", "000/x001", "000.p/0", "000.p/256",
                                 "000.p/07", "abc", "000.p/"])  # fmt: skip
def test_malformed_tile_indexes_are_refused(bad):
    with pytest.raises(ValueError, match="tile"):
        tlog.parse_tile_index(bad)


def test_entry_bundles_round_trip_and_a_truncated_one_fails():
    bundle = tlog.entry_bundle([b"", b"a", b"xyz" * 100])
    assert tlog.parse_entry_bundle(bundle) == [b"", b"a", b"xyz" * 100]
    with pytest.raises(tlog.VerificationError):
        tlog.parse_entry_bundle(bundle[:-1])
