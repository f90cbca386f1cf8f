"""Paper import test helpers: a CSV as bytes, and a preview of it."""

from __future__ import annotations

import io
from typing import Any

from undersigned.paper import services
from undersigned.paper.models import PaperBatch


def csv_bytes(*rows: str, header: str = "name,email,country", encoding: str = "utf-8") -> bytes:
    return ("\r\n".join([header, *rows]) + "\r\n").encode(encoding)


def preview(petition: Any, data: bytes, user: Any = None, **options: Any) -> PaperBatch:
    return services.preview_import(
        petition, io.BytesIO(data), len(data), sheet_reference=options.pop("sheet", "S-1"),
        acting_user=user, **options,
    )  # fmt: skip


def apply(batch: PaperBatch, user: Any = None) -> services.ApplyOutcome:
    return services.apply_batch(
        batch, token=batch.token, expected=batch.accepted_count, acting_user=user
    )
