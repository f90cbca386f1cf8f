"""Rebuild a petition's log from its rows and compare it with what was signed and counted.

The log and the count are written in one transaction, so they cannot drift by a crash; this
finds drift from anything else (a restored backup, a manual edit, signatures counted before
the log existed) and, when asked, appends the entries that make them agree again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from undersigned.audit.models import AuditAction
from undersigned.audit.services import record
from undersigned.petitions.models import Petition
from undersigned.signatures.models import Signature
from undersigned.signatures.selectors import counted_total
from undersigned.transparency import keys, services, tlog
from undersigned.transparency.models import Checkpoint, EntryKind, LogEntry, LogHead


@dataclass
class Reconciliation:
    slug: str
    size: int = 0
    log_count: int = 0
    page_count: int = 0
    problems: list[str] = field(default_factory=list)
    missing: list[int] = field(default_factory=list)  # counted, but no live leaf
    extra: list[int] = field(default_factory=list)  # leaf indexes: live, but nobody counted

    @property
    def agrees(self) -> bool:
        return not self.problems


def reconcile(petition: Petition) -> Reconciliation:
    result = Reconciliation(petition.slug, page_count=counted_total(petition.pk, cached=False)[0])
    rows = list(LogEntry.objects.filter(petition=petition).order_by("index")
                .values_list("index", "kind", "payload", "leaf_hash", "signature_id"))  # fmt: skip
    result.size = len(rows)
    if [r[0] for r in rows] != list(range(len(rows))):
        result.problems.append("the entries' indexes have gaps")
    payloads = [bytes(r[2]) for r in rows]
    hashes = [tlog.leaf_hash(p) for p in payloads]
    if hashes != [bytes(r[3]) for r in rows]:
        result.problems.append("a stored leaf hash does not match its entry")
    head = LogHead.objects.filter(petition=petition).first()
    if (head.size if head else 0) != len(rows):
        result.problems.append("the log head's size is not the number of entries")
    _check_checkpoint(petition, hashes, result)
    try:
        result.log_count = tlog.tally(payloads)["count"]
    except tlog.VerificationError as error:
        result.problems.append(str(error))
    if result.log_count != result.page_count:
        result.problems.append(f"the log counts {result.log_count}, the page {result.page_count}")
    _compare_signatures(petition, rows, result)
    return result


def _check_checkpoint(petition: Petition, hashes: list[bytes], result: Reconciliation) -> None:
    latest = Checkpoint.objects.filter(petition=petition).order_by("-size").first()
    if latest is None:
        if hashes:
            result.problems.append("entries without a checkpoint")
        return
    try:
        _, size, root = tlog.parse_checkpoint(
            tlog.open_note(latest.note, keys.signer().verifier_key)
        )
    except tlog.VerificationError as error:
        result.problems.append(f"the latest checkpoint: {error}")
        return
    if size != len(hashes) or root != tlog.root_of(hashes):
        result.problems.append("the latest checkpoint does not match the entries")


def _compare_signatures(petition: Petition, rows: list[Any], result: Reconciliation) -> None:
    removed = set()
    for _, kind, payload, _, _ in rows:
        if kind in (EntryKind.INVALIDATION, EntryKind.WITHDRAWAL):
            removed.add(int(bytes(payload).split(b"\n")[1]))
    counted = set(
        Signature.objects.filter(petition=petition, counted=True)
        .valid()
        .values_list("id", flat=True)
    )
    live: set[int] = set()
    for index, kind, _, _, signature_id in rows:
        if kind != EntryKind.SIGNATURE or index in removed:
            continue
        if signature_id in counted and signature_id not in live:
            live.add(signature_id)
        else:  # nobody's, not counted, or a second leaf of one signature
            result.extra.append(index)
    result.missing = sorted(counted - live)
    if result.missing:
        result.problems.append(f"{len(result.missing)} counted signatures have no live leaf")
    if result.extra:
        result.problems.append(f"{len(result.extra)} live leaves stand for no counted signature")


def repair(petition: Petition, *, acting_user: Any) -> Reconciliation:
    """Append what makes the log agree with the counted signatures (and log the petition's
    text if it is not, as for petitions published before the log existed); audited."""
    with transaction.atomic():
        services.append_text_if_changed(petition)
        found = reconcile(petition)
        services.append_leaf_removals(petition.pk, found.extra, "reconciled")
        services.append_signatures(found.missing)
        record(
            AuditAction.LOG_RECONCILED, user=acting_user,
            organisation_id=petition.case.organisation_id, petition_id=petition.pk,
            subject=f"petition #{petition.pk}", row_count=len(found.missing) + len(found.extra),
        )  # fmt: skip
    return reconcile(petition)
