"""Appending to a petition's transparency log — the only writer of its rows.

Every append happens inside the caller's transaction (the one that changes the count, see
signatures/signals.py), takes the petition's LogHead row lock, writes the entries and the
tile nodes they complete, and signs one new checkpoint. So log and count commit together or
not at all. Hashing and formats are tlog.py's (RFC 9162, C2SP tlog-tiles/tlog-checkpoint).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from undersigned.audit.models import AuditAction
from undersigned.audit.services import record
from undersigned.petitions.models import Petition, PetitionStatus
from undersigned.signatures.models import Signature
from undersigned.signatures.services import new_receipt_secret
from undersigned.transparency import keys, tlog
from undersigned.transparency.models import Checkpoint, EntryKind, LogEntry, LogHead, TileNode

# A text entry longer than an entry bundle allows (uint16 lengths) carries only its digest.
MAX_ENTRY = 65_000
PAPER_MAX = 10_000_000


def _frontier_of(head: LogHead) -> list[bytes]:
    raw = bytes(head.frontier)
    return [raw[i : i + 32] for i in range(0, len(raw), 32)]


def _root(frontier: list[bytes]) -> bytes:
    if not frontier:
        return tlog.root_of([])
    root = frontier[-1]
    for left in reversed(frontier[:-1]):
        root = tlog.node_hash(left, root)
    return root


def append(petition_id: int, entries: Sequence[tuple[str, bytes, int | None]]) -> int:
    """Append (kind, payload, signature id) entries and sign a checkpoint; returns the index
    of the first. Call inside the transaction whose change the entries record."""
    if not entries:
        return -1
    with transaction.atomic():
        LogHead.objects.get_or_create(petition_id=petition_id)
        head = LogHead.objects.select_for_update().get(petition_id=petition_id)
        frontier, first = _frontier_of(head), head.size
        rows, nodes, now = [], [], connection.ops.adapt_datetimefield_value(timezone.now())
        for offset, (kind, payload, signature_id) in enumerate(entries):
            index = first + offset
            h = tlog.leaf_hash(payload)
            rows.append((petition_id, index, str(kind), h, payload, signature_id, now))
            # The right edge: merge equal-height subtrees, as a binary counter carries.
            height, size = 0, index + 1
            while size >> height & 1 == 0:
                h = tlog.node_hash(frontier.pop(), h)
                height += 1
                if height % tlog.TILE_HEIGHT == 0:
                    nodes.append(TileNode(petition_id=petition_id, level=height // 8,
                                          index=(size >> height) - 1, hash=h))  # fmt: skip
            frontier.append(h)
        _insert_entries(rows)
        TileNode.objects.bulk_create(nodes)
        head.size, head.frontier = first + len(entries), b"".join(frontier)
        head.save(update_fields=["size", "frontier"])
        _sign_checkpoint(petition_id, head.size, _root(frontier))
    return first


def _insert_entries(rows: list[tuple[Any, ...]]) -> None:
    """One prepared INSERT run for every row (the ORM's bulk_create would build, and the
    driver parse, a statement with seven parameters per row: 3x slower at 5,000 rows)."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in ("petition_id", "index", "kind", "leaf_hash",
                                            "payload", "signature_id", "created_at"))  # fmt: skip
    table = quote(LogEntry._meta.db_table)
    sql = f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s)"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _sign_checkpoint(petition_id: int, size: int, root: bytes) -> None:
    slug = Petition.objects.filter(pk=petition_id).values_list("slug", flat=True).get()
    note = keys.signer().sign(tlog.checkpoint_text(keys.origin(slug), size, root))
    Checkpoint.objects.create(petition_id=petition_id, size=size, root_hash=root, note=note)


def append_signatures(signature_ids: Sequence[int]) -> None:
    """One signature entry per newly counted signature, per petition, in id order."""
    rows = list(
        Signature.objects.filter(id__in=signature_ids)
        .order_by("id")
        .values_list("id", "petition_id", "receipt_secret")
    )
    secrets = {pk: secret or new_receipt_secret() for pk, _, secret in rows}
    for pk, _, secret in rows:
        if not secret:  # confirmed before receipts existed (rare)
            Signature.objects.filter(pk=pk).update(receipt_secret=secrets[pk])
    per_petition: dict[int, list[tuple[str, bytes, int | None]]] = {}
    for pk, petition_id, _ in rows:
        raw = tlog.urlsafe_secret(secrets[pk])
        entry = tlog.signature_entry(raw, petition_id)
        per_petition.setdefault(petition_id, []).append((EntryKind.SIGNATURE, entry, pk))
    for petition_id, entries in sorted(per_petition.items()):
        append(petition_id, entries)


def append_removals(signature_ids: Sequence[int], reason: str) -> None:
    """An invalidation or withdrawal entry for each of these signatures' current leaf."""
    leaves = (
        LogEntry.objects.filter(signature_id__in=signature_ids, kind=EntryKind.SIGNATURE)
        .order_by("signature_id", "-index")
        .values_list("signature_id", "petition_id", "index")
    )
    latest: dict[int, tuple[int, int]] = {}
    for signature_id, petition_id, index in leaves:
        latest.setdefault(signature_id, (petition_id, index))
    per_petition: dict[int, list[int]] = {}
    for petition_id, index in sorted(latest.values()):
        per_petition.setdefault(petition_id, []).append(index)
    for petition_id, indexes in sorted(per_petition.items()):
        append_leaf_removals(petition_id, indexes, reason)


def append_leaf_removals(petition_id: int, indexes: Sequence[int], reason: str) -> None:
    kind = EntryKind.INVALIDATION if reason.startswith("invalidated") else EntryKind.WITHDRAWAL
    append(petition_id, [(kind, f"undersigned/{kind}/v1\n{index}\n{reason}\n".encode(), None)
                         for index in indexes])  # fmt: skip


def append_paper_revert(petition: Petition, index: int, count: int, *, acting_user: Any) -> int:
    """Log that the paper batch logged at entry `index` with `count` signatures was taken
    back: an entry of minus its count naming that entry (tlog.tally checks the pair)."""
    if not 1 <= count <= PAPER_MAX:
        raise ValueError("A paper batch counts 1 to 10,000,000 signatures.")
    with transaction.atomic():
        entry = f"undersigned/paper/v1\n{-count}\nreverts {index}\n".encode()
        revert_index = append(petition.pk, [(EntryKind.PAPER, entry, None)])
        record(
            AuditAction.PAPER_BATCH_UNLOGGED, user=acting_user,
            organisation_id=petition.case.organisation_id, petition_id=petition.pk,
            subject=f"petition #{petition.pk}: log entry {revert_index} reverts {index}",
            row_count=count,
        )  # fmt: skip
    return revert_index


def petition_text(petition: Petition) -> bytes:
    """The petition's words in every language, as its text entry holds them."""
    fields: dict[str, Any] = {"goal": petition.goal, "slug": petition.slug}
    for name in ("title", "target", "demand"):
        fields[name] = {
            code: getattr(petition, f"{name}_{code.replace('-', '_')}", None) or ""
            for code, _ in settings.LANGUAGES
        }
    body = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    payload = f"undersigned/text/v1\n{body}\n".encode()
    if len(payload) > MAX_ENTRY:
        digest = tlog.leaf_hash(body.encode()).hex()
        payload = f"undersigned/text/v1\nsha256-leaf:{digest}\n".encode()
    return payload


def append_text_if_changed(petition: Petition) -> bool:
    """Log the petition's text when it is public and differs from the last text logged."""
    if petition.status == PetitionStatus.DRAFT:
        return False
    payload = petition_text(petition)
    with transaction.atomic():
        last = (
            LogEntry.objects.filter(petition_id=petition.pk, kind=EntryKind.TEXT)
            .order_by("-index")
            .values_list("payload", flat=True)
            .first()
        )
        if last is not None and bytes(last) == payload:
            return False
        append(petition.pk, [(EntryKind.TEXT, payload, None)])
    return True


def append_paper_batch(petition: Petition, count: int, *, acting_user: Any) -> int:
    """Log a batch of signatures collected on paper (their count only); returns its index."""
    if not 1 <= count <= PAPER_MAX or petition.status == PetitionStatus.DRAFT:
        raise ValueError("A paper batch counts 1 to 10,000,000 signatures of a public petition.")
    with transaction.atomic():
        index = append(petition.pk, [(EntryKind.PAPER, f"undersigned/paper/v1\n{count}\n"
                                      .encode(), None)])  # fmt: skip
        record(
            AuditAction.PAPER_BATCH_LOGGED, user=acting_user,
            organisation_id=petition.case.organisation_id, petition_id=petition.pk,
            subject=f"petition #{petition.pk}: log entry {index}", row_count=count,
        )  # fmt: skip
    return index
