"""Reading paper batches for the staff pages: numbers and row reports, never an address."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from undersigned.paper.models import BatchStatus, PaperBatch, PaperRow, RowStatus
from undersigned.paper.rows import PROBLEMS
from undersigned.petitions.models import Petition

SHOWN_ROWS = 200  # of each kind, on the preview page


@dataclass(frozen=True)
class ReportedRow:
    number: int
    column: str
    message: str
    duplicate_of_row: int | None


def batches_of(petition: Petition) -> QuerySet[PaperBatch]:
    return PaperBatch.objects.filter(petition=petition).exclude(status=BatchStatus.PREVIEW)


def batch_of(petition: Petition, pk: int) -> PaperBatch | None:
    return PaperBatch.objects.filter(petition=petition, pk=pk).first()


def reported_rows(batch: PaperBatch, status: RowStatus) -> list[ReportedRow]:
    """The first SHOWN_ROWS rows of one kind, with what is wrong or which they repeat."""
    rows = (
        PaperRow.objects.filter(batch=batch, status=status)
        .order_by("row_number")
        .values_list("row_number", "column", "problem", "duplicate_of_row")[:SHOWN_ROWS]
    )
    return [ReportedRow(number, column, str(PROBLEMS.get(problem, "")), of)
            for number, column, problem, of in rows]  # fmt: skip
