"""The printable document handed to a petition's target, made with WeasyPrint.

Everything staff or signers wrote reaches the PDF through a Django template (autoescaped) or
through render_markdown (sanitised), and WeasyPrint (core/pdf.py) is given a URL fetcher that
fetches nothing: no file on the server and no address on the network can be pulled into a
document.

WeasyPrint lays out about 2,000 names a second, so names come in parts of NAMES_PER_PART
(a few seconds and ~100 MB each); a petition with 150,000 signers prints as 15 parts.

With a read replica the counts and names are read there (core/replica.py), as of a moment
ago; the audit entries are written on the primary.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.template.loader import render_to_string
from django.utils import timezone
from django_countries import countries

from undersigned.audit.models import AuditAction
from undersigned.campaigns.markdown import render_markdown
from undersigned.core.pdf import pdf_document, render_pdf
from undersigned.core.replica import read_on_replica
from undersigned.petitions.models import Petition
from undersigned.privacy.exports import selectors
from undersigned.privacy.exports.services import record_export_ended, record_export_started

if TYPE_CHECKING:
    from weasyprint import Document

User = AbstractBaseUser | AnonymousUser

NAMES_PER_PART = 10_000
# Names are set in <pre> blocks of this many lines: three times faster in WeasyPrint than a table.
_LINES_PER_BLOCK = 60
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


class NoSuchPart(Exception):
    """The names part asked for is beyond the last one."""


@dataclass(frozen=True)
class DeliveryPdf:
    filename: str
    content: bytes


def name_parts(petition: Petition) -> int:
    """How many documents the signers' names fill (at least one)."""
    counted, _reading = read_on_replica(selectors.counting_signatures(petition).count)
    return max(1, math.ceil(counted / NAMES_PER_PART))


def delivery_pdf(petition: Petition, user: User, *, names_part: int | None = None) -> DeliveryPdf:
    """The document, numbers only or with part `names_part` (from 1) of the signers' names;
    audit-logged when it is started and once it is made. The caller has checked the rights."""
    # NoSuchPart: nothing to log
    context, _reading = read_on_replica(delivery_context, petition, names_part=names_part)
    if names_part is None:
        kind, rows = AuditAction.DELIVERY_PDF, len(context["by_country"])
        filename = f"{petition.slug}-delivery.pdf"
    else:
        kind, rows = AuditAction.DELIVERY_PDF_WITH_NAMES, context["names"]["count"]
        filename = f"{petition.slug}-delivery-names-{names_part}-of-{context['names']['parts']}.pdf"
    started = record_export_started(user, petition, kind)
    content = render_pdf(delivery_html(context))
    record_export_ended(started, user, row_count=rows, completed=True)
    return DeliveryPdf(filename, content)


def delivery_context(petition: Petition, *, names_part: int | None = None) -> dict[str, Any]:
    country_names = dict(countries)
    by_country = [
        (country_names.get(code, code), code, count)
        for code, count in selectors.exact_counts_by_country(petition)
    ]
    total = sum(count for _name, _code, count in by_country)
    context: dict[str, Any] = {
        "petition": petition,
        "organisation": petition.case.organisation,
        "demand_html": render_markdown(petition.demand),
        "total": total,
        "by_country": by_country,
        "printed_on": timezone.localdate(),
        "names": None,
    }
    if names_part is not None:
        context["names"] = _names(petition, names_part, total, country_names)
    return context


def _names(petition: Petition, part: int, total: int, country_names: dict) -> dict[str, Any]:
    parts = max(1, math.ceil(total / NAMES_PER_PART))
    if not 1 <= part <= parts:
        raise NoSuchPart(part)
    offset = (part - 1) * NAMES_PER_PART
    lines = [
        # Bidi isolates keep a right-to-left name from reordering the country after it.
        f"\u2068{_one_line(name)}\u2069 · {country_names.get(code, code)}"
        for name, code in selectors.signer_names(petition, offset=offset, limit=NAMES_PER_PART)
    ]
    blocks = [
        "\n".join(lines[i : i + _LINES_PER_BLOCK]) for i in range(0, len(lines), _LINES_PER_BLOCK)
    ]
    return {
        "part": part, "parts": parts, "count": len(lines), "total": total,
        "first": offset + 1, "last": offset + len(lines), "blocks": blocks,
    }  # fmt: skip


def _one_line(name: str) -> str:
    return _CONTROL_CHARACTERS.sub(" ", name).strip()


def delivery_html(context: dict[str, Any]) -> str:
    return render_to_string("privacy/delivery_pdf.html", context)


def delivery_document(html: str) -> Document:
    """The laid-out document (core/pdf.py: WeasyPrint, fetching nothing)."""
    return pdf_document(html)
