"""CSV exports: streamed row by row, safe to open in a spreadsheet, each one audit-logged.

Memory stays flat whatever the petition's size: rows come from the database EXPORT_CHUNK_ROWS
at a time (selectors.py) and leave in chunks of about FLUSH_AT characters.

With a read replica the rows are read there (core/replica.py: iterate_on_replica; the audit
entries are written on the primary).

A download cut short (the client disconnects, the server stops) is still on record: an audit
entry is written before the first row, and a second one when the stream ends — "finished" or
"cut off", with the rows that left the server. If the server never starts the stream at all,
the first entry stays alone.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Generator, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils import timezone
from django_countries import countries

from undersigned.audit.models import AuditAction, AuditLogEntry
from undersigned.core.replica import iterate_on_replica
from undersigned.petitions.models import Petition
from undersigned.privacy.exports import selectors
from undersigned.privacy.exports.services import record_export_ended, record_export_started

User = AbstractBaseUser | AnonymousUser

FLUSH_AT = 64 * 1024
# OWASP "CSV injection": a cell starting with one of these is read as a formula by
# spreadsheets; a leading apostrophe makes them show it as text.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(text: str) -> str:
    """'=HYPERLINK(…)' → "'=HYPERLINK(…)"; anything else unchanged."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def csv_cell(value: object) -> str:
    """Every cell of every export goes through here: dates in ISO 8601, all text defused."""
    text = value.isoformat() if isinstance(value, date) else str(value)
    return neutralise_formula(text)


@dataclass(frozen=True)
class CsvExport:
    filename: str
    chunks: Generator[str]


def csv_chunks(
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    started: AuditLogEntry,
    user: User,
) -> Generator[str]:
    """The CSV text in chunks; counts the rows and appends the export's end to the audit log."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")  # a BOM, so spreadsheets read the names as UTF-8
    writer.writerow([csv_cell(cell) for cell in header])
    written = sent = 0
    completed = False
    try:
        for row in rows:
            writer.writerow([csv_cell(cell) for cell in row])
            written += 1
            if buffer.tell() >= FLUSH_AT:
                chunk = buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
                sent = written
                yield chunk
        sent = written
        yield buffer.getvalue()
        completed = True
    finally:
        record_export_ended(started, user, row_count=sent, completed=completed)


def _filename(petition: Petition, what: str) -> str:
    return f"{petition.slug}-{what}-{timezone.localdate().isoformat()}.csv"


def signatures_csv(petition: Petition, user: User, *, with_email: bool) -> CsvExport:
    """Confirmed, valid signatures: name, country code, country name, confirmed date[, email].
    The caller has checked that `user` may see names (and emails, if asked)."""
    kind = AuditAction.SIGNATURES_CSV_WITH_EMAIL if with_email else AuditAction.SIGNATURES_CSV
    header = ["name", "country_code", "country", "confirmed_on", *(["email"] if with_email else [])]
    names = dict(countries)
    rows = (
        (name, code, names.get(code, code), *rest)
        for name, code, *rest in iterate_on_replica(
            lambda: selectors.signature_rows(petition, with_email=with_email)
        )
    )
    started = record_export_started(user, petition, kind)
    what = "signatures-with-email" if with_email else "signatures"
    chunks = csv_chunks(header, rows, started=started, user=user)
    return CsvExport(_filename(petition, what), chunks)


def countries_by_day_csv(petition: Petition, user: User) -> CsvExport:
    """Confirmed, valid signatures counted per day, country and source: no personal data."""
    header = ["date", "country_code", "country", "source", "signatures"]
    names = dict(countries)
    rows = (
        (day, code, names.get(code, code), source, count)
        for day, code, source, count in iterate_on_replica(
            lambda: selectors.countries_by_day_rows(petition)
        )
    )
    started = record_export_started(user, petition, AuditAction.AGGREGATE_CSV)
    chunks = csv_chunks(header, rows, started=started, user=user)
    return CsvExport(_filename(petition, "countries-by-day"), chunks)
