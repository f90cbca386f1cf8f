"""The staff pages: upload → preview → apply → revert, the bad files refused with a message
in the error summary, and nothing stored from a refused file."""

from __future__ import annotations

import codecs
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import make_case, make_organisation, make_petition, make_staff
from tests.paper.helpers import csv_bytes
from tests.sign_in import sign_in
from undersigned.campaigns.models import Role
from undersigned.paper.models import BatchStatus, PaperBatch, PaperRow, PaperSignature

pytestmark = pytest.mark.django_db


@pytest.fixture
def petition():
    return make_petition(case=make_case(organisation=make_organisation()))


@pytest.fixture
def officer(client, petition):
    sign_in(client, make_staff(petition.case.organisation, Role.DATA_OFFICER))
    return client


def upload(client, petition, data: bytes, name="sheets.csv", **fields):
    return client.post(
        f"/staff/paper/{petition.slug}/",
        {"sheet_reference": "Berlin 1-3", "file": SimpleUploadedFile(name, data), **fields},
    )


def test_upload_preview_apply_and_revert_through_the_pages(officer, petition):
    response = upload(officer, petition, csv_bytes("Ada,ada@example.org,DE", "Bob,,FR", ",,"))
    assert response.status_code == 303
    batch = PaperBatch.objects.get()
    page = officer.get(response["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert "Add 2 signatures on paper" in text
    assert "ada@example.org" not in text  # the preview names rows, never addresses
    applied = officer.post(
        f"/staff/paper/{petition.slug}/{batch.pk}/apply/",
        {"token": batch.token, "expected": "2"},
    )
    assert applied.status_code == 303
    assert PaperSignature.objects.count() == 2
    listing = officer.get(f"/staff/paper/{petition.slug}/").content.decode()
    assert "Berlin 1-3" in listing
    reverted = officer.post(f"/staff/paper/{petition.slug}/{batch.pk}/revert/")
    assert reverted.status_code == 303
    batch.refresh_from_db()
    assert batch.status == BatchStatus.REVERTED
    assert not PaperSignature.objects.exists()


def test_typed_rows_need_no_header(officer, petition):
    response = officer.post(
        f"/staff/paper/{petition.slug}/",
        {"sheet_reference": "Stall", "rows": "Ada, ada@example.org, DE\nBob,,Germany\n"},
    )
    assert response.status_code == 303
    assert PaperBatch.objects.get().accepted_count == 2


def refused(client, petition, data: bytes) -> str:
    response = upload(client, petition, data)
    assert response.status_code == 422
    assert not PaperBatch.objects.exists() and not PaperRow.objects.exists()
    text = response.content.decode()
    assert 'class="error-summary"' in text
    return text


def test_a_file_without_the_country_column_is_refused(officer, petition):
    text = refused(officer, petition, csv_bytes("Ada,ada@example.org", header="name,email"))
    assert "Missing: country" in text


def test_ten_megabytes_of_junk_is_refused_by_its_size(officer, petition):
    assert "at most 8 MB" in refused(officer, petition, os.urandom(10_000_000))


def test_binary_junk_is_refused_as_not_text(officer, petition):
    assert "not a text CSV file" in refused(officer, petition, os.urandom(50_000) + b"\x00")


def test_an_unclosed_quote_is_refused_with_its_row(officer, petition):
    data = csv_bytes("Ada,ada@example.org,DE", '"Bob,,FR') + b"x" * 200_000
    assert "could not be read as CSV" in refused(officer, petition, data)


@pytest.mark.parametrize(
    ("encoded", "encoding"),
    [
        (csv_bytes("Jürgen Groß,,DE"), "utf-8"),
        (codecs.BOM_UTF8 + csv_bytes("Jürgen Groß,,DE"), "utf-8-sig"),
        (csv_bytes("Jürgen Groß,,DE", encoding="utf-16"), "utf-16"),
        (csv_bytes("Jürgen Groß,,DE", encoding="latin-1"), "latin-1"),
    ],
)
def test_each_encoding_is_recognised(officer, petition, encoded, encoding):
    assert upload(officer, petition, encoded).status_code == 303
    batch = PaperBatch.objects.get()
    assert (batch.encoding, batch.accepted_count) == (encoding, 1)


def test_utf16_without_its_mark_is_refused(officer, petition):
    data = csv_bytes("Ada,,DE", encoding="utf-16-le")
    assert "not a text CSV file" in refused(officer, petition, data)


def test_formulas_are_rejected_row_by_row(officer, petition):
    data = csv_bytes("=1+1,,DE", "Ada,@evil,DE", "Bob,,-DE", "+Carl,,FR", "Dora,,DE")
    upload(officer, petition, data)
    batch = PaperBatch.objects.get()
    assert (batch.accepted_count, batch.rejected_count) == (1, 4)
    assert set(PaperRow.objects.filter(batch=batch).exclude(problem="")
               .values_list("problem", flat=True)) == {"formula"}  # fmt: skip


def test_a_semicolon_file_with_the_sheets_own_headers(officer, petition):
    data = csv_bytes("1;Ada;ada@example.org;de", header="No.;Name;Email (optional);Country")
    assert upload(officer, petition, data).status_code == 303
    assert PaperBatch.objects.get().accepted_count == 1


def test_an_editor_sees_the_numbers_but_cannot_import(client, petition):
    sign_in(client, make_staff(petition.case.organisation, Role.EDITOR))
    assert client.get(f"/staff/paper/{petition.slug}/").status_code == 200
    assert upload(client, petition, csv_bytes("Ada,,DE")).status_code == 403


def test_a_file_big_enough_to_be_spooled_to_disk_is_read_from_there(officer, petition, settings):
    """Uploads over FILE_UPLOAD_MAX_MEMORY_SIZE arrive as a temporary file, not in memory."""
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10_000
    rows = [f"Signer {i},signer.{i}@example.org,FR" for i in range(2_000)]
    data = csv_bytes(*rows)
    assert len(data) > settings.FILE_UPLOAD_MAX_MEMORY_SIZE
    assert upload(officer, petition, data).status_code == 303
    assert PaperBatch.objects.get().accepted_count == 2_000
