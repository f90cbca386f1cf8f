"""Printable documents with WeasyPrint, made one way: the delivery document
(privacy/exports/delivery_pdf.py), the poster and the paper signature sheet (reach/print.py).

WeasyPrint is given a URL fetcher that fetches nothing: no file on the server and no address
on the network can be pulled into a document. Images must therefore be inline (an <svg> in
the HTML), and text reaches the HTML through autoescaped templates.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from weasyprint import Document


def pdf_document(html: str) -> Document:
    """The laid-out document (its pages, text and links), before it becomes a PDF."""
    # Imported here: WeasyPrint takes most of a second and tens of MB to load; web processes
    # pay only when someone prints.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetch_nothing = URLFetcher(allowed_protocols=frozenset(), allow_redirects=False)
    return HTML(string=html, base_url=None, url_fetcher=fetch_nothing).render()


def render_pdf(html: str) -> bytes:
    return pdf_document(html).write_pdf()
