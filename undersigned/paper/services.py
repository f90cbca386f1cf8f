"""Importing signatures collected on paper: preview a file (nothing counted), apply the
preview as one batch, revert a batch — each in one transaction, each audited with its
numbers only (never a name or an address), and the count's transparency log told of the
batch and of its revert (transparency/services.py).

Fast and flat for big files (docs/paper.md): rows are checked as they are read
(paper/rows.py) and written to the preview table in batches (COPY on PostgreSQL); duplicates
are found by the database, three UPDATEs for the whole file; applying is one INSERT … SELECT
and one upsert of the per-country counters.
"""

from __future__ import annotations

import enum
import secrets
from collections.abc import Iterable, Iterator
from datetime import timedelta
from itertools import islice
from typing import IO, Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from undersigned.audit.models import AuditAction
from undersigned.audit.services import record
from undersigned.paper.models import BatchStatus, PaperBatch, PaperRow, PaperSignature, RowStatus
from undersigned.paper.rows import FileRefused, Row, open_text, read_rows
from undersigned.petitions.models import Petition, PetitionStatus
from undersigned.petitions.services import set_paper_counts_toward_goal
from undersigned.signatures.history import cross_milestones
from undersigned.signatures.models import Signature
from undersigned.signatures.services import add_paper_to_count
from undersigned.transparency.services import append_paper_batch, append_paper_revert

WRITE_BATCH = 5000
ROW_COLUMNS = ("batch_id", "row_number", "status", "column", "problem", "email_normalised",
               "country")  # fmt: skip


class ApplyOutcome(enum.Enum):
    APPLIED = "applied"
    CHANGED = "changed"  # duplicates changed since the preview: it was refreshed, look again
    NOT_APPLICABLE = "not_applicable"  # applied, reverted, expired, or nothing to count


def preview_import(
    petition: Petition, upload: IO[bytes], size: int, *, sheet_reference: str,
    typed: bool = False, acting_user: Any,
) -> PaperBatch:  # fmt: skip
    """Read and check every row, store the preview, find duplicates; returns the previewed
    batch. Raises FileRefused (nothing stored) when the file as a whole cannot be taken."""
    if petition.status == PetitionStatus.DRAFT:
        raise FileRefused(_("Paper signatures can be added to a published petition only."))
    forget_expired_previews()
    text, encoding = open_text(upload, size)
    with transaction.atomic():
        batch = PaperBatch.objects.create(
            petition=petition, sheet_reference=sheet_reference, encoding=encoding,
            token=secrets.token_urlsafe(32), created_by=acting_user,
        )  # fmt: skip
        for chunk in _chunks(read_rows(text, header=not typed), WRITE_BATCH):
            _insert_rows(batch.pk, chunk)
        _analyse_rows()
        _mark_duplicates(batch)
        _store_counts(batch)
        record(
            AuditAction.PAPER_IMPORT_PREVIEWED, user=acting_user,
            organisation_id=petition.case.organisation_id, petition_id=petition.pk,
            subject=f"paper batch #{batch.pk}", row_count=batch.row_count, detail=_numbers(batch),
        )  # fmt: skip
    return batch


def apply_batch(batch: PaperBatch, *, token: str, expected: int, acting_user: Any) -> ApplyOutcome:
    """Count the preview's accepted rows as paper signatures: all of them or none.

    Duplicates are looked for again first (someone may have signed online, or another batch
    been applied, since the preview); if the number to add is no longer the `expected` one
    the preview shown, nothing is applied and the refreshed preview is what to show."""
    with transaction.atomic():
        locked = PaperBatch.objects.select_for_update().filter(pk=batch.pk).first()
        if (
            locked is None
            or locked.status != BatchStatus.PREVIEW
            or not secrets.compare_digest(locked.token, token)
            or locked.created_at < preview_cutoff()
        ):
            return ApplyOutcome.NOT_APPLICABLE
        petition = Petition.objects.select_related("case").get(pk=locked.petition_id)
        _mark_duplicates(locked)
        _store_counts(locked)
        if locked.accepted_count != expected:
            return ApplyOutcome.CHANGED
        if not locked.accepted_count:
            return ApplyOutcome.NOT_APPLICABLE
        _copy_accepted(locked)
        add_paper_to_count(petition, _per_country(PaperRow.objects.filter(batch=locked,
                                                  status=RowStatus.ACCEPTED)))  # fmt: skip
        locked.log_index = append_paper_batch(petition, locked.accepted_count,
                                              acting_user=acting_user)  # fmt: skip
        PaperRow.objects.filter(batch=locked).delete()
        locked.status, locked.applied_at, locked.applied_by = (
            BatchStatus.APPLIED, timezone.now(), acting_user,
        )  # fmt: skip
        locked.save(update_fields=["status", "applied_at", "applied_by", "log_index"])
        record(
            AuditAction.PAPER_IMPORT_APPLIED, user=acting_user,
            organisation_id=petition.case.organisation_id, petition_id=petition.pk,
            subject=f"paper batch #{locked.pk}", row_count=locked.accepted_count,
            detail=_numbers(locked),
        )  # fmt: skip
    return ApplyOutcome.APPLIED


def revert_batch(batch: PaperBatch, *, acting_user: Any) -> int:
    """Take an applied batch's signatures off the count (and say so in the log); returns how
    many. 0 when the batch is not applied (already reverted, or a preview)."""
    with transaction.atomic():
        locked = PaperBatch.objects.select_for_update().filter(pk=batch.pk).first()
        if locked is None or locked.status != BatchStatus.APPLIED:
            return 0
        petition = Petition.objects.select_related("case").get(pk=locked.petition_id)
        signatures = PaperSignature.objects.filter(batch=locked)
        per_country = _per_country(signatures)
        removed = sum(per_country.values())
        add_paper_to_count(petition, {country: -n for country, n in per_country.items()})
        signatures.delete()
        if removed and locked.log_index is not None:
            locked.revert_log_index = append_paper_revert(
                petition, locked.log_index, removed, acting_user=acting_user
            )
        locked.status, locked.reverted_at, locked.reverted_by = (
            BatchStatus.REVERTED, timezone.now(), acting_user,
        )  # fmt: skip
        locked.save(update_fields=["status", "reverted_at", "reverted_by", "revert_log_index"])
        record(
            AuditAction.PAPER_IMPORT_REVERTED, user=acting_user,
            organisation_id=petition.case.organisation_id, petition_id=petition.pk,
            subject=f"paper batch #{locked.pk}", row_count=removed,
        )  # fmt: skip
    return removed


def set_toward_goal(petition: Petition, value: bool, *, acting_user: Any) -> bool:
    """Whether paper counts toward the petition's goal (audited by the petitions service);
    milestones the new total reaches are crossed at once."""
    with transaction.atomic():
        changed = set_paper_counts_toward_goal(petition, value, acting_user=acting_user)
        if changed:
            cross_milestones(petition.pk, timezone.now())
    return changed


def preview_cutoff() -> Any:
    return timezone.now() - timedelta(hours=settings.PAPER_PREVIEW_HOURS)


def forget_expired_previews() -> int:
    """Delete previews older than PAPER_PREVIEW_HOURS with their rows (the addresses they
    hold were never applied); returns how many."""
    expired = PaperBatch.objects.filter(status=BatchStatus.PREVIEW, created_at__lt=preview_cutoff())
    PaperRow.objects.filter(batch__in=expired).delete()
    return expired.delete()[0]


# --- The steps ---------------------------------------------------------------------------


def _chunks(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _insert_rows(batch_id: int, rows: list[Row]) -> None:
    """Write checked rows to the preview table: COPY on PostgreSQL (the fastest way in),
    one prepared INSERT run elsewhere."""
    values = [(batch_id, row.number, RowStatus.REJECTED if row.problem else RowStatus.ACCEPTED,
               row.column, row.problem, row.email_normalised, row.country)
              for row in rows]  # fmt: skip
    quote = connection.ops.quote_name
    table, columns = quote(PaperRow._meta.db_table), ", ".join(quote(c) for c in ROW_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for value in values:
                    copy.write_row(value)
        else:
            placeholders = ", ".join(["%s"] * len(ROW_COLUMNS))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",  # noqa: S608
                               values)  # fmt: skip


def _analyse_rows() -> None:
    """PostgreSQL: refresh the preview table's statistics after a big insert, or the planner
    takes it for empty and checks each row's duplicates by scanning every row (quadratic)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(PaperRow._meta.db_table)}")


def _mark_duplicates(batch: PaperBatch) -> None:
    """Accepted rows whose address is already counted become duplicates: an earlier row of
    the same file, a valid online signature of the petition (confirmed or still pending),
    or a paper signature of an earlier batch. Three UPDATEs, each over an index."""
    accepted = PaperRow.objects.filter(batch=batch, status=RowStatus.ACCEPTED).exclude(
        email_normalised=""
    )
    first = (
        PaperRow.objects.filter(batch=batch, email_normalised=OuterRef("email_normalised"))
        .order_by("row_number")
        .values("row_number")[:1]
    )
    earlier = PaperRow.objects.filter(
        batch=batch, email_normalised=OuterRef("email_normalised"),
        row_number__lt=OuterRef("row_number"),
    )  # fmt: skip
    accepted.filter(Exists(earlier)).update(
        status=RowStatus.DUPLICATE, problem="same_file", duplicate_of_row=Subquery(first)
    )
    online = Signature.objects.valid().filter(
        petition_id=batch.petition_id, email_normalised=OuterRef("email_normalised")
    )
    accepted.filter(Exists(online)).update(status=RowStatus.DUPLICATE, problem="online")
    on_paper = PaperSignature.objects.filter(
        petition_id=batch.petition_id, email_normalised=OuterRef("email_normalised")
    )
    accepted.filter(Exists(on_paper)).update(status=RowStatus.DUPLICATE, problem="paper")


def _store_counts(batch: PaperBatch) -> None:
    counts = dict(
        PaperRow.objects.filter(batch=batch).values("status").annotate(n=Count("id"))
        .order_by().values_list("status", "n")
    )  # fmt: skip
    batch.accepted_count = counts.get(RowStatus.ACCEPTED, 0)
    batch.duplicate_count = counts.get(RowStatus.DUPLICATE, 0)
    batch.rejected_count = counts.get(RowStatus.REJECTED, 0)
    batch.row_count = batch.accepted_count + batch.duplicate_count + batch.rejected_count
    batch.save(update_fields=["accepted_count", "duplicate_count", "rejected_count", "row_count"])


def _copy_accepted(batch: PaperBatch) -> None:
    """The accepted rows become paper signatures: one INSERT … SELECT."""
    quote = connection.ops.quote_name
    signatures, rows = quote(PaperSignature._meta.db_table), quote(PaperRow._meta.db_table)
    sql = (
        f"INSERT INTO {signatures} (batch_id, petition_id, row_number, email_normalised, "  # noqa: S608
        f"country) SELECT batch_id, %s, row_number, email_normalised, country FROM {rows} "
        "WHERE batch_id = %s AND status = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [batch.petition_id, batch.pk, RowStatus.ACCEPTED.value])


def _per_country(rows: Any) -> dict[str, int]:
    return {
        str(country): n
        for country, n in rows.values("country").annotate(n=Count("id")).order_by()
        .values_list("country", "n")
    }  # fmt: skip


def _numbers(batch: PaperBatch) -> str:
    return (f"rows {batch.row_count}, accepted {batch.accepted_count}, duplicates "
            f"{batch.duplicate_count}, rejected {batch.rejected_count}")  # fmt: skip
