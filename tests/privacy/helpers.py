"""Signatures in bulk (quickly, by copying rows in SQL), and the text of a PDF — for the privacy
tests. Single signatures come from tests/factories.py."""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
from typing import Any

import pytest
from django.db import connection
from django.db.models import Max, UniqueConstraint

from tests.factories import make_signatures
from undersigned.petitions.models import Petition
from undersigned.signatures.models import Signature

_keys = itertools.count(1)


def add_many_signatures(petition: Petition, count: int, *, seed: int = 1000) -> None:
    """`count` confirmed signatures, quickly: `seed` made with bulk_create, then copied in SQL.

    bulk_create costs about 0.3 ms a row in Django's compiler (30 s for 100,000 on SQLite); an
    INSERT … SELECT copies the same rows in well under a second. Every column is copied as it
    is, except the unique ones, which get a prefix per copy — so new fields need no change here.
    """
    assert count % seed == 0, "count must be a multiple of seed"
    before = Signature.objects.aggregate(top=Max("id"))["top"] or 0
    make_signatures(petition, seed)
    first, last = before + 1, Signature.objects.aggregate(top=Max("id"))["top"]
    sql, prefixes = _copy_statement()
    with connection.cursor() as cursor:
        for _ in range(count // seed - 1):
            cursor.execute(sql, [f"c{next(_keys)}-"] * prefixes + [petition.pk, first, last])


def _copy_statement() -> tuple[str, int]:
    """INSERT … SELECT of a petition's rows in an id range, and how many prefixes it takes."""
    meta = Signature._meta
    quote = connection.ops.quote_name
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    unique = {field.name for field in fields if field.unique}
    for constraint in meta.constraints:
        if isinstance(constraint, UniqueConstraint):
            unique |= {name for name in constraint.fields if name != "petition"}
    for name in unique:
        if meta.get_field(name).get_internal_type() not in {"CharField", "EmailField"}:
            raise NotImplementedError(f"add_many_signatures cannot vary the unique field {name}")
    # The prefix is a parameter; every unique text column gets it, so each copy is distinct.
    varied = [field for field in fields if field.name in unique]
    columns = ", ".join(quote(str(field.column)) for field in fields)
    values = ", ".join(
        f"CAST(%s AS VARCHAR(20)) || {quote(str(field.column))}"
        if field.name in unique
        else quote(str(field.column))
        for field in fields
    )
    table = quote(meta.db_table)
    sql = (
        f"INSERT INTO {table} ({columns}) SELECT {values} FROM {table} "  # noqa: S608 - names from _meta
        f"WHERE {quote('petition_id')} = %s AND {quote('id')} BETWEEN %s AND %s"
    )
    return sql, len(varied)


def pdf_text(pdf: bytes) -> str:
    """The text a reader of the PDF sees, extracted by poppler's pdftotext."""
    if shutil.which("pdftotext") is None:
        message = "pdftotext is missing; apt-get install poppler-utils"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"],  # noqa: S607
        input=pdf,
        capture_output=True,
        check=True,
    )
    return result.stdout.decode()


def streamed_body(response: Any) -> str:
    """Consume a streaming response as a browser would (the test client closes it at the end,
    as a server does)."""
    body = b"".join(response.streaming_content)
    return body.decode("utf-8-sig")
