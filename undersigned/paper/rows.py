"""Reading a file of paper signatures: its encoding, its columns, and each row checked with
the sign form's rules (signatures/forms.py: the same limits, the same messages' meaning, the
same normalisation of the email address).

Streamed: `read_rows` yields one checked row at a time from the uploaded file, so a
100,000-row file never sits in memory as rows. A problem with the file as a whole (size,
encoding, missing column, not CSV) raises `FileRefused` before any row is stored; a problem
with a row is that row's `problem`, reported with its row number and column.

Formulas: a cell starting with =, +, -, @ (or a tab or carriage return, which spreadsheets
also read as the start of a formula, OWASP "CSV injection") refuses its row. Nothing from a
cell is ever stored or exported as typed — only a country code from the list and a
normalised email address — but a name like "=HYPERLINK(…)" means the sheet was not copied
as written, and a person should look at it.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from email_validator import EmailNotValidError, validate_email

from undersigned.signatures.email_checks import is_disposable
from undersigned.signatures.forms import EMAIL_MAX_LENGTH, NAME_MAX_LENGTH, validated_email
from undersigned.signatures.normalise import normalise_email

NAME, EMAIL, COUNTRY = "name", "email", "country"
# Header names accepted for each column (compared in lower case, spaces trimmed): ours and
# the printed sheet's English column labels (reach/templates/reach/signature_sheet_pdf.html).
HEADERS = {
    NAME: {"name", "full name"},
    EMAIL: {"email", "e-mail", "email (optional)", "email address"},
    COUNTRY: {"country", "country code"},
}
REQUIRED = (NAME, COUNTRY)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CELL_MAX = 1000  # any longer cell is not a name, an address or a country
CHUNK = 64 * 1024

# What can be wrong with a row: code → message (shown with the row number and the column).
PROBLEMS = {
    "formula": _("The cell starts with =, +, - or @, as a spreadsheet formula does."),
    "too_long": _("The cell is longer than 1,000 characters."),
    "name_missing": _("The name is missing."),
    "name_too_long": _("The name is longer than 100 characters."),
    "name_unreadable": _("The name contains characters that could not be read."),
    "name_control": _("The name contains invisible control characters."),
    "name_brackets": _("The name contains the characters < or >."),
    "email_too_long": _("The email address is longer than 254 characters."),
    "email_invalid": _("The email address is not valid."),
    "email_disposable": _("The email address is from a disposable email service."),
    "country_missing": _("The country is missing."),
    "country_unknown": _("The country is not a country code (DE) or an English country name."),
    # Duplicates: which signature the row repeats.
    "online": _("This address has already signed online."),
    "paper": _("This address is already counted from an earlier paper batch."),
    "same_file": _("This address appears in an earlier row of this file."),
}


class FileRefused(Exception):
    """The whole file is refused; the message says why, for the staff member to act on."""


@dataclass(frozen=True, slots=True)
class Row:
    number: int  # the spreadsheet's row number (the header is row 1)
    column: str = ""
    problem: str = ""  # "" = accepted
    email_normalised: str = ""
    country: str = ""


def open_text(upload: IO[bytes], size: int) -> tuple[io.TextIOBase, str]:
    """The upload as text and the encoding it was read in: UTF-8 (with or without a BOM),
    UTF-16 with its BOM, or — when the bytes are not UTF-8 — Latin-1 (ISO 8859-1, what
    older spreadsheets save). Anything with NUL bytes but no UTF-16 BOM is not text."""
    if size > settings.PAPER_IMPORT_MAX_BYTES:
        raise FileRefused(
            _("The file is %(size)s MB; at most %(limit)s MB can be imported at once. Split it.")
            % {"size": f"{size / 1_000_000:.1f}", "limit": settings.PAPER_IMPORT_MAX_BYTES
               // 1_000_000}
        )  # fmt: skip
    if size == 0:
        raise FileRefused(_("The file is empty."))
    upload.seek(0)
    start = upload.read(4)
    upload.seek(0)
    if start.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = _utf8_or_latin1(upload)
    text = io.TextIOWrapper(upload, encoding=encoding, errors="strict", newline="")  # type: ignore[arg-type]
    return text, encoding


def _utf8_or_latin1(upload: IO[bytes]) -> str:
    """One pass over the bytes (in chunks): UTF-8 if they decode as UTF-8, else Latin-1."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8 = True
    while chunk := upload.read(CHUNK):
        if b"\x00" in chunk:
            raise FileRefused(
                _(
                    "The file is not a text CSV file (it contains NUL bytes: a spreadsheet's "
                    "own format, or UTF-16 without its byte-order mark). Save it as CSV (UTF-8)."
                )
            )
        if utf8:
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                utf8 = False
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    upload.seek(0)
    return "utf-8" if utf8 else "latin-1"


def read_rows(text: io.TextIOBase, *, header: bool = True) -> Iterator[Row]:
    """Each data row of the CSV text, checked. `header=False` (rows typed into the form):
    the columns are name, email, country in that order."""
    first = text.readline() if header else ""
    delimiter = _delimiter(first) if header else ","
    columns = _columns(first, delimiter) if header else {NAME: 0, EMAIL: 1, COUNTRY: 2}
    reader = csv.reader(text, delimiter=delimiter)
    offset = 1 if header else 0
    count = 0
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue  # a blank line
            count += 1
            if count > settings.PAPER_IMPORT_MAX_ROWS:
                raise FileRefused(
                    _("The file has more than %(n)s rows; split it into smaller files.")
                    % {"n": f"{settings.PAPER_IMPORT_MAX_ROWS:,}"}
                )
            yield check_row(reader.line_num + offset, cells, columns)
    except csv.Error as error:
        raise FileRefused(
            _("Row %(n)s could not be read as CSV (an unclosed quote?).")
            % {"n": reader.line_num + offset}
        ) from error
    except UnicodeDecodeError as error:
        raise FileRefused(_("The file's text could not be read in its encoding.")) from error
    if count == 0:
        raise FileRefused(_("The file has no rows of signatures."))


def _delimiter(line: str) -> str:
    """Comma, semicolon (spreadsheets in much of Europe) or tab: the header shows which."""
    counts = {d: line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _columns(line: str, delimiter: str) -> dict[str, int]:
    if not line.strip():
        raise FileRefused(_("The first row must name the columns: name, email, country."))
    try:
        names = next(csv.reader([line], delimiter=delimiter))
    except (csv.Error, StopIteration) as error:
        raise FileRefused(
            _("The first row must name the columns: name, email, country.")
        ) from error
    found: dict[str, int] = {}
    for index, raw in enumerate(names):
        label = " ".join(raw.strip().lstrip("\ufeff").lower().split())
        for column, accepted in HEADERS.items():
            if label in accepted and column not in found:
                found[column] = index
    missing = [column for column in REQUIRED if column not in found]
    if missing:
        raise FileRefused(
            _("The first row must name the columns: name, email, country. Missing: %(missing)s.")
            % {"missing": ", ".join(missing)}
        )
    return found


def check_row(number: int, cells: list[str], columns: dict[str, int]) -> Row:
    """One row, checked as the sign form checks a signature (email optional here)."""
    values = {column: _cell(cells, index) for column, index in columns.items()}
    for column, value in values.items():
        if value.startswith(FORMULA_START):
            return Row(number, column, "formula")
        if len(value) > CELL_MAX:
            return Row(number, column, "too_long")
    problem = _name_problem(values[NAME])
    if problem:
        return Row(number, NAME, problem)
    email, problem = check_email(values.get(EMAIL, "").strip())
    if problem:
        return Row(number, EMAIL, problem)
    country = country_code(values[COUNTRY])
    if not country:
        return Row(number, COUNTRY, "country_unknown" if values[COUNTRY].strip()
                   else "country_missing")  # fmt: skip
    return Row(number, email_normalised=email, country=country)


def _cell(cells: list[str], index: int) -> str:
    return cells[index] if index < len(cells) else ""


def _name_problem(raw: str) -> str:
    """SignForm.clean_name's rules."""
    name = " ".join(raw.split())
    if not name:
        return "name_missing"
    if len(name) > NAME_MAX_LENGTH:
        return "name_too_long"
    if "\ufffd" in name:
        return "name_unreadable"
    if any(unicodedata.category(char) in {"Cc", "Cs", "Co", "Cn"} for char in name):
        return "name_control"
    if any(char in "<>" for char in name):
        return "name_brackets"
    return ""


# RFC 5322 dot-atom of ASCII characters: what email-validator accepts as a plain local part.
_ASCII_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
LOCAL_MAX_LENGTH = 64


def check_email(raw: str) -> tuple[str, str]:
    """(normalised address, problem); ("", "") when there is none. The sign form's checks
    (syntax by email-validator, disposable domains, signatures/normalise.py), with one
    shortcut that gives the same answers: a plain ASCII local part is checked by its
    RFC 5322 pattern, and each domain by email-validator once (tests/paper/test_rows.py
    compares the two on awkward addresses)."""
    if not raw:
        return "", ""
    if len(raw) > EMAIL_MAX_LENGTH:
        return "", "email_too_long"
    local, at, domain = raw.rpartition("@")
    if at and _ASCII_LOCAL.fullmatch(local) and len(local) <= LOCAL_MAX_LENGTH:
        checked_domain = _checked_domain(domain)
        if checked_domain is None:
            return "", "email_invalid"
        address = f"{local}@{checked_domain}"
        if len(address) > EMAIL_MAX_LENGTH:
            return "", "email_too_long"
    else:
        try:
            address = validated_email(raw).normalized
        except forms.ValidationError:
            return "", "email_invalid"
    normalised = normalise_email(address)
    if is_disposable(normalised.rpartition("@")[2]):
        return "", "email_disposable"
    return normalised, ""


@functools.lru_cache(maxsize=8192)
def _checked_domain(domain: str) -> str | None:
    """The domain as email-validator normalises it, or None when it refuses it."""
    try:
        return validate_email(f"a@{domain}", check_deliverability=False).domain
    except EmailNotValidError:
        return None


@functools.cache
def _country_lookup() -> dict[str, str]:
    """Codes and English names (whatever language the request that first asks is in)."""
    codes = {code.lower(): code for code in countries.countries}
    with translation.override("en"):
        with_names = {str(name).lower(): code for code, name in countries.countries.items()}
    return {**with_names, **codes}


def country_code(raw: str) -> str:
    """A country code from the list, given as the code (de, DE) or the English name."""
    return _country_lookup().get(" ".join(raw.split()).lower(), "")
