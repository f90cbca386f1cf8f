"""QR codes for the petition with its source, the A4 poster and the paper signature sheet."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.conf import settings
from PIL import Image

from tests.factories import make_case, make_organisation, make_petition, make_staff
from tests.privacy.helpers import pdf_text
from tests.sign_in import sign_in
from undersigned.campaigns.models import Role
from undersigned.petitions.models import TrackedLink
from undersigned.reach.qr import qr_target

pytestmark = pytest.mark.django_db

HOSTILE = 'Free "them" <script>alert(1)</script> & <img src=x onerror=alert(2)>'


@pytest.fixture
def petition() -> Any:
    return make_petition(
        case=make_case(organisation=make_organisation(name="Riverside Watch")),
        title_en="Let the Riverside Three go home", title_de="Lasst die drei nach Hause",
        target_en="The Minister of Justice", demand_en="Release **all three** now.",
        languages=["en", "de"],
    )  # fmt: skip


def test_the_qr_code_opens_the_petition_with_the_qr_source(petition: Any) -> None:
    target = qr_target(petition)
    assert target == f"{settings.SITE_URL}/petitions/{petition.slug}/?ref=qr"


def test_a_tracked_links_qr_code_opens_its_short_address(petition: Any) -> None:
    TrackedLink.objects.create(petition=petition, code="march")
    assert qr_target(petition, "march") == f"{settings.SITE_URL}/p/march"
    assert qr_target(petition, "not-a-link").endswith("?ref=qr")


def test_the_qr_code_comes_as_svg_and_png(client: Any, petition: Any) -> None:
    svg = client.get(f"/petitions/{petition.slug}/qr.svg")
    assert svg["Content-Type"] == "image/svg+xml"
    assert svg.content.startswith(b"<?xml") and b"<svg" in svg.content
    png = client.get(f"/petitions/{petition.slug}/qr.png")
    assert png["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(png.content))
    assert image.format == "PNG" and image.size[0] == image.size[1] >= 250
    assert client.get(f"/petitions/{petition.slug}/qr.gif").status_code == 404
    assert client.get(f"/petitions/{make_petition(status='draft').slug}/qr.svg").status_code == 404


def test_the_poster_has_the_title_the_demand_and_the_address(client: Any, petition: Any) -> None:
    sign_in(client, make_staff(petition.case.organisation, Role.ANALYST))
    response = client.get(f"/staff/petitions/{petition.slug}/poster.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{petition.slug}-poster-en.pdf"' in response["Content-Disposition"]
    text = " ".join(pdf_text(response.content).split())
    assert "Let the Riverside Three go home" in text
    assert "Release all three now." in text
    assert "To: The Minister of Justice" in text
    address = f"{settings.SITE_URL.split('://')[1]}/petitions/{petition.slug}/?ref=qr"
    assert address in text.replace(" ", "") or address in text


def test_the_poster_comes_in_each_of_the_petitions_languages(client: Any, petition: Any) -> None:
    sign_in(client, make_staff(petition.case.organisation, Role.ANALYST))
    german = client.get(f"/staff/petitions/{petition.slug}/poster.pdf?lang=de")
    text = " ".join(pdf_text(german.content).split())
    assert "Lasst die drei nach Hause" in text and "An: " in text
    # A language the petition is not offered in falls back to the default one.
    spanish = client.get(f"/staff/petitions/{petition.slug}/poster.pdf?lang=es")
    assert "Let the Riverside Three go home" in " ".join(pdf_text(spanish.content).split())
    assert 'poster-en.pdf"' in spanish["Content-Disposition"]


def test_a_hostile_title_prints_as_text(client: Any) -> None:
    petition = make_petition(case=make_case(organisation=make_organisation()), title_en=HOSTILE)
    sign_in(client, make_staff(petition.case.organisation, Role.EDITOR))
    for path in ("poster.pdf", "signature-sheet.pdf"):
        response = client.get(f"/staff/petitions/{petition.slug}/{path}")
        assert response.status_code == 200
        assert HOSTILE in " ".join(pdf_text(response.content).split())


def test_the_signature_sheet_has_numbered_rows_and_the_consent_wording(
    client: Any, petition: Any
) -> None:
    sign_in(client, make_staff(petition.case.organisation, Role.ANALYST))
    response = client.get(f"/staff/petitions/{petition.slug}/signature-sheet.pdf")
    text = " ".join(pdf_text(response.content).split())
    assert "Let the Riverside Three go home" in text
    for heading in ("Name", "Email (optional)", "Country", "Signature"):
        assert heading in text
    assert "handed to the petition's target" in text
    assert "Sheet reference:" in text  # what the paper import asks for (docs/paper.md)
    assert " 1 " in f" {text} " and " 15 " in f" {text} "


def test_a_tracked_link_code_goes_onto_the_poster(client: Any, petition: Any) -> None:
    TrackedLink.objects.create(petition=petition, code="march")
    sign_in(client, make_staff(petition.case.organisation, Role.ANALYST))
    response = client.get(f"/staff/petitions/{petition.slug}/poster.pdf?ref=march")
    assert "/p/march" in pdf_text(response.content)


def test_the_reach_page_offers_the_print_in_every_language(client: Any, petition: Any) -> None:
    sign_in(client, make_staff(petition.case.organisation, Role.ANALYST))
    html = client.get(f"/staff/petitions/{petition.slug}/reach/").content.decode()
    for code in ("en", "de"):
        assert f"/staff/petitions/{petition.slug}/poster.pdf?lang={code}" in html
        assert f"/staff/petitions/{petition.slug}/signature-sheet.pdf?lang={code}" in html
    assert f"/petitions/{petition.slug}/qr.svg" in html
