"""Paper for street teams: an A4 poster (title, demand, QR code, short address) and a paper
signature sheet (numbered rows: name, email optional, country, signature; the consent
wording), in any of the petition's languages. WeasyPrint as for the delivery document
(core/pdf.py: it fetches nothing, so the QR code is inline SVG); every text reaches the PDF
through an autoescaped template or render_markdown, so a hostile title prints as text."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

from undersigned.campaigns.markdown import render_markdown
from undersigned.core.pdf import render_pdf
from undersigned.petitions.models import Petition
from undersigned.reach.qr import qr_svg_inline, qr_target, short_address

SHEET_ROWS = 15


@dataclass(frozen=True)
class PrintedPdf:
    filename: str
    content: bytes


def print_language(petition: Petition, requested: str | None) -> str:
    """One of the petition's languages (the default one for anything else)."""
    offered = [code for code, _name in petition.offered_languages]
    return requested if requested in offered else settings.LANGUAGE_CODE


def _common(petition: Petition, code: str) -> dict[str, object]:
    target = qr_target(petition, code)
    return {
        "petition": petition,
        "organisation": petition.case.organisation,
        "demand_html": render_markdown(petition.demand),
        # segno writes the SVG from the URL's bits only: no text of ours is inside it.
        "qr_svg": mark_safe(qr_svg_inline(target)),  # noqa: S308
        "short_address": short_address(petition, code),
    }


def poster_pdf(petition: Petition, language: str, code: str = "") -> PrintedPdf:
    with translation.override(language):
        html = render_to_string("reach/poster_pdf.html", _common(petition, code))
    return PrintedPdf(f"{petition.slug}-poster-{language}.pdf", render_pdf(html))


def signature_sheet_pdf(petition: Petition, language: str, code: str = "") -> PrintedPdf:
    with translation.override(language):
        context = {
            **_common(petition, code),
            "rows": range(1, SHEET_ROWS + 1),
        }
        html = render_to_string("reach/signature_sheet_pdf.html", context)
    return PrintedPdf(f"{petition.slug}-signature-sheet-{language}.pdf", render_pdf(html))
