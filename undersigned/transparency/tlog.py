#!/usr/bin/env python3
"""Transparency-log formats and proofs, with the standard library and `cryptography` only.

This one file is both the server's format code and the standalone verifier
(`scripts/verify_log.py` is this file; `python verify_log.py https://site/log/<slug>/`).

- Hashing, inclusion and consistency proofs: RFC 9162 §2.1 (leaf = SHA-256(0x00 || entry),
  node = SHA-256(0x01 || left || right)); tested against transparency-dev/merkle's vectors.
- Checkpoints: C2SP tlog-checkpoint (origin, size, base64 root hash), signed as a
  C2SP signed-note with Ed25519 (key id = SHA-256(name || 0x0A || 0x01 || public key)[:4]).
- Tiles: C2SP tlog-tiles (height 8, width 256, `tile/<L>/<N>[.p/<W>]`, entry bundles of
  big-endian uint16 length-prefixed entries at `tile/entries/<N>[.p/<W>]`).
- Entries of a petition's log (our own, documented in docs/verifiable-counts.md): text lines
  starting with "undersigned/<kind>/v1".
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

HASH_SIZE = 32
TILE_HEIGHT = 8
TILE_WIDTH = 1 << TILE_HEIGHT
ED25519 = 0x01


class VerificationError(Exception):
    """The log, a checkpoint or a proof is not what it claims to be."""


# --- RFC 9162 §2.1: hashing and proofs -------------------------------------------------------


def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def root_of(hashes: Sequence[bytes]) -> bytes:
    """MTH(D[n]) of leaf hashes; the empty tree's hash is SHA-256 of nothing."""
    if not hashes:
        return hashlib.sha256(b"").digest()
    level = list(hashes)
    # Pair left to right; an odd last node moves up unchanged (same tree as RFC's split).
    while len(level) > 1:
        paired = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        level = paired + ([level[-1]] if len(level) % 2 else [])
    return level[0]


RangeHash = Callable[[int, int], bytes]


def inclusion_proof(index: int, size: int, mth: RangeHash) -> list[bytes]:
    """PATH(m, D[n]) (RFC 9162 §2.1.3.1); `mth(start, end)` hashes leaves [start, end)."""

    def path(m: int, start: int, end: int) -> list[bytes]:
        n = end - start
        if n == 1:
            return []
        k = _split(n)
        if m < k:
            return [*path(m, start, start + k), mth(start + k, end)]
        return [*path(m - k, start + k, end), mth(start, start + k)]

    return path(index, 0, size)


def consistency_proof(old: int, new: int, mth: RangeHash) -> list[bytes]:
    """PROOF(m, D[n]) (RFC 9162 §2.1.4.1)."""

    def subproof(m: int, start: int, end: int, complete: bool) -> list[bytes]:
        n = end - start
        if m == n:
            return [] if complete else [mth(start, end)]
        k = _split(n)
        if m <= k:
            return [*subproof(m, start, start + k, complete), mth(start + k, end)]
        return [*subproof(m - k, start + k, end, False), mth(start, start + k)]

    return subproof(old, 0, new, True) if 0 < old < new else []


def _check_hashes(*hashes: bytes) -> None:
    if any(len(h) != HASH_SIZE for h in hashes):
        raise VerificationError("a hash is not 32 bytes long")


def verify_inclusion(
    index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes
) -> None:
    """RFC 9162 §2.1.3.2; raises VerificationError."""
    _check_hashes(leaf, *proof)
    if index >= size:
        raise VerificationError("leaf index outside the tree")
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            raise VerificationError("inclusion proof too long")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0 or r != root:
        raise VerificationError("inclusion proof does not lead to the root hash")


def verify_consistency(
    old: int, new: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> None:
    """RFC 9162 §2.1.4.2; raises VerificationError."""
    _check_hashes(*proof)
    if old > new:
        raise VerificationError("the newer tree is smaller than the older one")
    if old == 0:
        raise VerificationError("consistency with the empty tree proves nothing")
    if old == new:
        if proof or old_root != new_root:
            raise VerificationError("same size, different trees: a fork")
        return
    path = list(proof)
    if old & (old - 1) == 0:  # a power of two: the old root is itself a node of the proof
        path.insert(0, old_root)
    if not path:
        raise VerificationError("empty consistency proof")
    fn, sn = old - 1, new - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise VerificationError("consistency proof too long")
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0 or fr != old_root or sr != new_root:
        raise VerificationError("the new tree does not extend the old one (a fork?)")


# --- C2SP signed-note with Ed25519 ---------------------------------------------------------


def key_id(name: str, public: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + bytes([ED25519]) + public).digest()[:4]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _unb64(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except ValueError as error:
        raise VerificationError("malformed base64") from error


def _valid_name(name: str) -> bool:
    return bool(name) and not any(c.isspace() or c == "+" for c in name)


def new_signer_key(name: str) -> str:
    """A private key in the signed-note text form: PRIVATE+KEY+<name>+<id>+<base64>."""
    if not _valid_name(name):
        raise ValueError("A key name has no spaces and no '+'.")
    private = Ed25519PrivateKey.generate()
    seed = private.private_bytes_raw()
    public = private.public_key().public_bytes_raw()
    return f"PRIVATE+KEY+{name}+{key_id(name, public).hex()}+{_b64(bytes([ED25519]) + seed)}"


class Signer:
    def __init__(self, skey: str) -> None:
        parts = skey.strip().split("+", 4)
        if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"] or not _valid_name(parts[2]):
            raise ValueError("Not a signed-note private key (PRIVATE+KEY+name+id+key).")
        raw = _unb64(parts[4])
        if len(raw) != 33 or raw[0] != ED25519:
            raise ValueError("Not an Ed25519 signed-note key.")
        self.name = parts[2]
        self._private = Ed25519PrivateKey.from_private_bytes(raw[1:])
        self.public = self._private.public_key().public_bytes_raw()
        self.key_id = key_id(self.name, self.public)
        if self.key_id.hex() != parts[3]:
            raise ValueError("The key id does not match the key.")

    @property
    def verifier_key(self) -> str:
        return f"{self.name}+{self.key_id.hex()}+{_b64(bytes([ED25519]) + self.public)}"

    def sign(self, text: str) -> str:
        """The signed note: text, a blank line, one signature line."""
        if not text.endswith("\n"):
            raise ValueError("A note's text ends with a newline.")
        signature = self._private.sign(text.encode())
        return f"{text}\n\u2014 {self.name} {_b64(self.key_id + signature)}\n"


def parse_verifier_key(vkey: str) -> tuple[str, bytes, bytes]:
    """name+id+base64(0x01 || key) → (name, key id, public key)."""
    parts = vkey.strip().split("+", 2)
    if len(parts) != 3 or not _valid_name(parts[0]):
        raise VerificationError("malformed verifier key")
    raw = _unb64(parts[2])
    if len(raw) != 33 or raw[0] != ED25519:
        raise VerificationError("not an Ed25519 verifier key")
    if key_id(parts[0], raw[1:]).hex() != parts[1]:
        raise VerificationError("the verifier key's id does not match its key")
    return parts[0], bytes.fromhex(parts[1]), raw[1:]


def open_note(note: str, vkey: str) -> str:
    """The note's text if a valid signature by this key is on it; else VerificationError."""
    name, kid, public = parse_verifier_key(vkey)
    text, sep, signatures = note.rpartition("\n\n")
    if not sep or not note.endswith("\n"):
        raise VerificationError("malformed signed note")
    text += "\n"
    for line in signatures.splitlines():
        prefix = f"\u2014 {name} "
        if not line.startswith(prefix):
            continue
        raw = _unb64(line[len(prefix) :])
        if len(raw) < 5 or raw[:4] != kid:
            continue
        try:
            Ed25519PublicKey.from_public_bytes(public).verify(raw[4:], text.encode())
        except InvalidSignature as error:
            raise VerificationError("the checkpoint's signature is not valid") from error
        return text
    raise VerificationError(f"the checkpoint is not signed by the key {name}+{kid.hex()}")


# --- C2SP tlog-checkpoint ------------------------------------------------------------------


def checkpoint_text(origin: str, size: int, root: bytes) -> str:
    return f"{origin}\n{size}\n{_b64(root)}\n"


def parse_checkpoint(text: str) -> tuple[str, int, bytes]:
    lines = text.split("\n")
    if len(lines) < 4 or not lines[0] or not re.fullmatch(r"0|[1-9][0-9]*", lines[1]):
        raise VerificationError("malformed checkpoint")
    root = _unb64(lines[2])
    _check_hashes(root)
    return lines[0], int(lines[1]), root


# --- C2SP tlog-tiles -----------------------------------------------------------------------

_INDEX = re.compile(r"(?:x[0-9]{3}/)*[0-9]{3}")
_WIDTH = re.compile(r"[1-9][0-9]{0,2}")


def tile_index_path(n: int) -> str:
    """1234067 → x001/x234/067."""
    groups = []
    while True:
        groups.append(f"{n % 1000:03d}")
        n //= 1000
        if not n:
            break
    return "/".join([f"x{g}" for g in reversed(groups[1:])] + [groups[0]])


def tile_path(level: int | str, n: int, width: int = TILE_WIDTH) -> str:
    partial = f".p/{width}" if width < TILE_WIDTH else ""
    return f"tile/{level}/{tile_index_path(n)}{partial}"


def parse_tile_index(path: str) -> tuple[int, int]:
    """ "x001/234.p/7" → (1234, 7); width 256 for a full tile. ValueError when malformed."""
    index, dot, width = path.partition(".p/")
    if not _INDEX.fullmatch(index) or (dot and not _WIDTH.fullmatch(width)):
        raise ValueError("malformed tile index")
    if dot and int(width) >= TILE_WIDTH:
        raise ValueError("a partial tile is narrower than 256")
    return int(index.replace("x", "").replace("/", "")), int(width) if dot else TILE_WIDTH


def entry_bundle(entries: Sequence[bytes]) -> bytes:
    return b"".join(len(e).to_bytes(2, "big") + e for e in entries)


def parse_entry_bundle(data: bytes) -> list[bytes]:
    entries, at = [], 0
    while at < len(data):
        if at + 2 > len(data):
            raise VerificationError("truncated entry bundle")
        n = int.from_bytes(data[at : at + 2], "big")
        if at + 2 + n > len(data):
            raise VerificationError("truncated entry bundle")
        entries.append(data[at + 2 : at + 2 + n])
        at += 2 + n
    return entries


# --- Entries of a petition's log -------------------------------------------------------------

RECEIPT_DOMAIN = b"undersigned/receipt/v1\x00"


def urlsafe_secret(text: str) -> bytes:
    """A receipt's secret as shown (base64url, unpadded) → its bytes."""
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def commitment(secret: bytes, petition_id: int) -> bytes:
    """What a signature's entry holds: reveals nothing without the receipt's secret."""
    return hashlib.sha256(RECEIPT_DOMAIN + petition_id.to_bytes(8, "big") + secret).digest()


def signature_entry(secret: bytes, petition_id: int) -> bytes:
    return f"undersigned/signature/v1\n{_b64(commitment(secret, petition_id))}\n".encode()


def tally(entries: Sequence[bytes]) -> dict[str, int]:
    """Read from the entries alone: "count" = signatures - invalidations - withdrawals (the
    online count on the page); "paper" = signatures collected on paper, reported apart. A
    paper batch taken back is an entry of minus its count naming the batch's entry
    (`-<count>\nreverts <index>`), which must be a paper entry of that count not taken back
    before."""
    kinds = {"signature": 0, "invalidation": 0, "withdrawal": 0, "paper": 0, "text": 0}
    removed: set[int] = set()
    signatures: set[int] = set()
    paper: dict[int, int] = {}  # index of a paper batch's entry → its count, until reverted
    for index, entry in enumerate(entries):
        head, _, rest = entry.decode(errors="replace").partition("\n")
        kind = head.removeprefix("undersigned/").removesuffix("/v1")
        if kind not in kinds:
            raise VerificationError(f"an entry of an unknown kind: {head[:40]!r}")
        if kind == "paper":
            kinds["paper"] += _paper_change(index, rest, paper)
            continue
        if kind in ("invalidation", "withdrawal"):
            leaf = int(rest.split("\n", 1)[0])
            if leaf in removed or leaf not in signatures:
                raise VerificationError(f"entry {index} removes leaf {leaf}, not a signature left")
            removed.add(leaf)
        elif kind == "signature":
            signatures.add(index)
        kinds[kind] += 1
    kinds["count"] = kinds["signature"] - kinds["invalidation"] - kinds["withdrawal"]
    return kinds


def _paper_change(index: int, rest: str, batches: dict[int, int]) -> int:
    lines = rest.split("\n")
    try:
        count = int(lines[0])
    except ValueError:
        raise VerificationError(f"entry {index} is a paper entry without a count") from None
    if count >= 0:
        batches[index] = count
        return count
    reverted = lines[1].removeprefix("reverts ") if len(lines) > 1 else ""
    if not reverted.isdigit() or batches.pop(int(reverted), None) != -count:
        raise VerificationError(f"entry {index} takes back {-count} paper signatures "
                                "that no paper entry before it added")  # fmt: skip
    return count


# --- The verifier: a log served over HTTP --------------------------------------------------


def _get(url: str) -> bytes:
    if not url.startswith(("https://", "http://")):
        raise VerificationError("the log's URL is not http(s)")
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - checked above
            return bytes(response.read())
    except urllib.error.HTTPError as error:
        raise VerificationError(f"{url} answered {error.code}") from error


def fetch_log(base: str, size: int, get: Callable[[str], bytes] = _get) -> list[bytes]:
    """All entries of the first `size`, from the entry bundles."""
    entries: list[bytes] = []
    for n in range(0, size, TILE_WIDTH):
        width = min(TILE_WIDTH, size - n)
        entries += parse_entry_bundle(get(base + tile_path("entries", n // TILE_WIDTH, width)))
    if len(entries) != size:
        raise VerificationError("the entry bundles do not hold as many entries as the checkpoint")
    return entries


def verify_log(
    base: str, vkey: str, previous: str | None = None, get: Callable[[str], bytes] = _get
) -> tuple[str, dict[str, int]]:
    """Check the log at `base` (…/log/<slug>/): its signed checkpoint, that the entries hash
    to its root, that it extends `previous` (a checkpoint text seen before), and its count.
    Returns (checkpoint note, tally); raises VerificationError."""
    base = base if base.endswith("/") else base + "/"
    note = get(base + "checkpoint").decode()
    _, size, root = parse_checkpoint(open_note(note, vkey))
    entries = fetch_log(base, size, get)
    hashes = [leaf_hash(e) for e in entries]
    level0 = b"".join(get(base + tile_path(0, n // TILE_WIDTH, min(TILE_WIDTH, size - n)))
                      for n in range(0, size, TILE_WIDTH))  # fmt: skip
    if level0 != b"".join(hashes):
        raise VerificationError("a tile does not hold the hashes of its entries")
    if root_of(hashes) != root:
        raise VerificationError("the entries do not hash to the checkpoint's root")
    if previous:
        _, old_size, old_root = parse_checkpoint(open_note(previous, vkey))
        if old_size > size:
            raise VerificationError("the log shrank since the last checkpoint seen")
        if old_size:
            proof = consistency_proof(old_size, size, lambda a, b: root_of(hashes[a:b]))
            verify_consistency(old_size, size, old_root, root, proof)
    return note, tally(entries)


def main(argv: Sequence[str]) -> int:
    """verify_log.py URL [--key VKEY] [--state FILE]: exit 0 when the log checks out."""
    args = list(argv)
    if not args or args[0].startswith("-"):
        print(main.__doc__, file=sys.stderr)
        return 2
    url = args.pop(0)
    options = dict(zip(args[::2], args[1::2], strict=False))
    state_file = options.get("--state", os.path.expanduser("~/.undersigned-verify-log.json"))
    state = json.load(open(state_file)) if os.path.exists(state_file) else {}  # noqa: SIM115
    seen = state.get(url, {})
    vkey = options.get("--key") or seen.get("key")
    if not vkey:
        site = url.split("/log/", 1)[0]
        vkey = json.loads(_get(site + "/.well-known/undersigned-log-key"))["verifier_key"]
        print(f"Trusting the key published by the site on first use: {vkey}")
    try:
        note, counts = verify_log(url, vkey, seen.get("checkpoint"))
    except VerificationError as error:
        print(f"FAILED: {error}", file=sys.stderr)
        return 1
    _, size, _ = parse_checkpoint(note)
    state[url] = {"key": vkey, "checkpoint": note}
    with open(state_file, "w") as out:
        json.dump(state, out)
    print(f"OK: {size} entries, signed by {vkey.split('+')[0]}, count {counts['count']} "
          f"(+ {counts['paper']} on paper)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
