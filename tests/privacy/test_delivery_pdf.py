"""The printable document for the target: the petition, its total, counts by country and,
if asked, the signers' names — with everything anyone typed rendered as inert text."""

import threading
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import urlencode

import pytest
from PIL import Image

from tests.factories import (
    make_case,
    make_organisation,
    make_petition,
    make_signature,
    make_signatures,
    make_staff,
)
from tests.privacy.helpers import pdf_text
from tests.sign_in import sign_in
from undersigned.audit.models import AuditAction, AuditLogEntry
from undersigned.campaigns.models import Role
from undersigned.privacy.exports import delivery_pdf

pytestmark = pytest.mark.django_db

HOSTILE = '</title><script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def organisation():
    return make_organisation(name="Free Speech Now")


@pytest.fixture
def petition(organisation):
    petition = make_petition(
        case=make_case(organisation=organisation),
        title_en="Free the publisher",
        target_en="The Home Secretary",
        demand_en="Stop the **extradition** now.",
    )
    make_signatures(petition, 3, country="DE")
    make_signatures(petition, 2, country="ES")
    make_signature(petition, name="Not Yet", confirmed_at=None)
    return petition


def download(client, petition, role, query=""):
    sign_in(client, make_staff(petition.case.organisation, role))
    return client.get(f"/staff/petitions/{petition.slug}/delivery.pdf{query}")


def test_editor_downloads_a_pdf_of_the_petition(client, petition):
    response = download(client, petition, Role.EDITOR)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert "no-store" in response["Cache-Control"]


def test_the_pdf_states_title_target_demand_total_and_countries(client, petition):
    text = pdf_text(download(client, petition, Role.EDITOR).content)
    assert "Free the publisher" in text
    assert "The Home Secretary" in text
    assert "Stop the extradition now." in text
    assert "5 confirmed signatures" in text
    assert "Germany" in text and "Spain" in text
    assert "Free Speech Now" in text


def test_the_pdf_without_names_lists_no_signer(client, petition):
    make_signature(petition, name="Zelda Quiet")
    assert "Zelda Quiet" not in pdf_text(download(client, petition, Role.EDITOR).content)


def test_the_pdf_with_names_lists_each_confirmed_signer_and_country(client, petition):
    make_signature(petition, name="Zelda Quiet", country="FR")
    text = pdf_text(download(client, petition, Role.DATA_OFFICER, "?names=1").content)
    assert "Zelda Quiet · France" in text
    assert "Not Yet" not in text


def test_analyst_cannot_print_the_delivery_document(client, petition):
    assert download(client, petition, Role.ANALYST).status_code == 403


def test_editor_of_another_organisation_is_told_the_petition_does_not_exist(client, petition):
    sign_in(client, make_staff(make_organisation(), Role.EDITOR))
    assert client.get(f"/staff/petitions/{petition.slug}/delivery.pdf").status_code == 404


def test_a_names_part_beyond_the_last_is_not_found(client, petition):
    assert download(client, petition, Role.EDITOR, "?names=1&part=2").status_code == 404


@pytest.mark.parametrize("part", ["²", "①", "٣", "1" * 5000, "-1", "0", "1.0", " 1", ""])
def test_a_malformed_names_part_is_not_found_rather_than_an_error(client, petition, part):
    """str.isdigit() takes "²", "①" and Arabic-Indic digits, which int() refuses (issue 19)."""
    response = download(client, petition, Role.EDITOR, "?" + urlencode({"names": 1, "part": part}))
    assert response.status_code == 404
    assert not AuditLogEntry.objects.filter(action=AuditAction.DELIVERY_PDF_WITH_NAMES).exists()


def test_a_big_petitions_names_come_in_parts(client, petition, monkeypatch):
    monkeypatch.setattr(delivery_pdf, "NAMES_PER_PART", 2)
    make_signature(petition, name="Last Signer", confirmed_at=datetime(2030, 1, 1, tzinfo=UTC))
    text = pdf_text(download(client, petition, Role.EDITOR, "?names=1&part=3").content)
    assert "Names 5\u20136 of 6" in text
    assert "Last Signer" in text


def test_printing_is_written_to_the_audit_log(client, petition):
    download(client, petition, Role.DATA_OFFICER, "?names=1")
    started = AuditLogEntry.objects.get(action=AuditAction.DELIVERY_PDF_WITH_NAMES)
    ended = AuditLogEntry.objects.get(action=AuditAction.EXPORT_FINISHED)
    assert (ended.row_count, ended.petition_id) == (5, petition.pk)
    assert ended.pk > started.pk


def test_hostile_text_in_title_demand_and_names_is_printed_as_plain_text(client, organisation):
    petition = make_petition(
        case=make_case(organisation=organisation),
        title_en=f"Title {HOSTILE}",
        demand_en=f"Demand {HOSTILE} [click me](javascript:alert(2))",
    )
    make_signature(petition, name=f"Name {HOSTILE}"[:100])
    text = pdf_text(download(client, petition, Role.EDITOR, "?names=1").content)
    printed = "".join(text.split())  # the long title wraps; compare without whitespace
    assert "".join(f"Title {HOSTILE}".split()) in printed
    assert "".join(f"Demand {HOSTILE}".split()) in printed
    assert "".join(f"Name {HOSTILE}".split()) in printed


def test_hostile_text_never_becomes_markup_or_a_link_in_the_document(organisation):
    petition = make_petition(
        case=make_case(organisation=organisation),
        title_en=f"Title {HOSTILE}",
        demand_en=f"Demand {HOSTILE} [click me](javascript:alert(2))",
    )
    make_signature(petition, name=f"Name {HOSTILE}"[:100])
    html = delivery_pdf.delivery_html(delivery_pdf.delivery_context(petition, names_part=1))
    assert "<script" not in html
    assert "<img" not in html
    assert 'href="javascript' not in html
    document = delivery_pdf.delivery_document(html)
    links = [link for page in document.pages for link in page.links]
    assert links == []


def test_the_document_never_reads_a_file_it_is_pointed_at(tmp_path):
    Image.new("RGB", (40, 40), "red").save(tmp_path / "secret.png")
    html = f'<p>x</p><img src="file://{tmp_path}/secret.png">'
    assert b"/Image" not in delivery_pdf.render_pdf(html)


def test_the_document_never_fetches_an_address_it_is_given():
    requested = []

    class Recorder(BaseHTTPRequestHandler):
        def do_GET(self):
            requested.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        delivery_pdf.render_pdf(
            f'<link rel="stylesheet" href="{base}/x.css"><img src="{base}/x.png"><p>x</p>'
        )
    finally:
        server.shutdown()
        server.server_close()
    assert requested == []
