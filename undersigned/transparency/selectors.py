"""Reading a petition's log as C2SP tlog-tiles serves it: checkpoints, tiles, entry bundles.

Tiles and bundles never change once they exist (a partial tile is a prefix of its full one),
so they are cached for good; the latest checkpoint is not.
"""

from __future__ import annotations

import re

from django.core.cache import cache

from undersigned.petitions.models import Petition
from undersigned.transparency import tlog
from undersigned.transparency.models import Checkpoint, LogEntry, LogHead, TileNode

_LEVEL = re.compile(r"[0-9]|[1-5][0-9]|6[0-3]")
TILE_CACHE_SECONDS = 7 * 86400


class MalformedTilePath(ValueError):
    pass


def latest_checkpoint(petition: Petition) -> str | None:
    note = Checkpoint.objects.filter(petition=petition).order_by("-size").values_list("note")
    first = note.first()
    return first[0] if first else None


def checkpoint_at(petition: Petition, size: int) -> str | None:
    note = Checkpoint.objects.filter(petition=petition, size=size).values_list("note").first()
    return note[0] if note else None


def checkpoint_sizes(petition: Petition) -> list[int]:
    rows = Checkpoint.objects.filter(petition=petition).order_by("size")
    return list(rows.values_list("size", flat=True))


def log_size(petition: Petition) -> int:
    head = LogHead.objects.filter(petition=petition).values_list("size", flat=True).first()
    return head or 0


def parse_tile_path(path: str) -> tuple[str, int, int]:
    """ "<L>/<N>[.p/<W>]" or "entries/<N>[.p/<W>]" → (level or "entries", N, W)."""
    level, _, rest = path.partition("/")
    if level != "entries" and not _LEVEL.fullmatch(level):
        raise MalformedTilePath("malformed tile level")
    try:
        n, width = tlog.parse_tile_index(rest)
    except ValueError as error:
        raise MalformedTilePath(str(error)) from error
    return level, n, width


def tile(petition: Petition, level: str, n: int, width: int) -> bytes | None:
    """The tile's bytes, or None while the log is too short for it."""
    key = f"tlog:{petition.pk}:{level}:{n}:{width}"
    body = cache.get(key)
    if body is None:
        body = _tile_from_rows(petition, level, n, width)
        if body is not None:
            cache.set(key, body, timeout=TILE_CACHE_SECONDS)
    return body


def _tile_from_rows(petition: Petition, level: str, n: int, width: int) -> bytes | None:
    start = n * tlog.TILE_WIDTH
    if level == "entries":
        rows = LogEntry.objects.filter(petition=petition, index__gte=start,
                                       index__lt=start + width).order_by("index")  # fmt: skip
        payloads = [bytes(p) for p in rows.values_list("payload", flat=True)]
        return tlog.entry_bundle(payloads) if len(payloads) == width else None
    if level == "0":
        rows = LogEntry.objects.filter(petition=petition, index__gte=start,
                                       index__lt=start + width).order_by("index")  # fmt: skip
        hashes = [bytes(h) for h in rows.values_list("leaf_hash", flat=True)]
    else:
        nodes = TileNode.objects.filter(petition=petition, level=int(level), index__gte=start,
                                        index__lt=start + width).order_by("index")  # fmt: skip
        hashes = [bytes(h) for h in nodes.values_list("hash", flat=True)]
    return b"".join(hashes) if len(hashes) == width else None


def leaf_index(petition: Petition, leaf: bytes) -> int | None:
    """Where a leaf is (a receipt knows its leaf's hash before it knows its index)."""
    rows = LogEntry.objects.filter(petition=petition, leaf_hash=leaf).order_by("-index")
    return rows.values_list("index", flat=True).first()


def receipt_of(signature_id: int) -> int | None:
    """The leaf index of a signature's current entry, once the worker has appended it."""
    rows = LogEntry.objects.filter(signature_id=signature_id, kind="signature")
    return rows.order_by("-index").values_list("index", flat=True).first()
