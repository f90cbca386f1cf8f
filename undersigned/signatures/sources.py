"""Where a signature came from, carried from the petition URL through the sign form.

The petition URL may carry `ref` (a campaigner's tracked-link code, petitions.TrackedLink),
`utm_source`, `utm_medium` and `utm_campaign` (https://en.wikipedia.org/wiki/UTM_parameters);
the embed and the QR code set their own (`embed`, `qr`). The page puts the cleaned values in
hidden fields of its sign form — no cookie — and signing stores them on the signature. The
referring site's host is filled in by the page's script from `document.referrer` (so the
cached page stays the same for everyone), host name only.

Every value is lower-cased, at most 40 characters of `a-z 0-9 . _ -`; anything else becomes
"other", never an error and never echoed back. A `ref` that names no tracked link of the
petition is "other" too. None of it is personal data, and none of it is ever shown publicly.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.html import format_html_join

from undersigned.petitions.models import TrackedLink

VALUE = re.compile(r"[a-z0-9][a-z0-9._-]{0,39}")
HOST = re.compile(
    r"(?=.{1,100}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+"
)
OTHER = "other"
EMBED, QR = "embed", "qr"
BUILT_IN = {EMBED, QR}
# Where the sign form's hidden fields go; the page is cached whole, so they are put in per
# request (with_source_fields) rather than rendered.
SLOT = "<!--source-fields-->"
FIELDS = {"source": "source", "medium": "source_medium", "campaign": "source_campaign"}
REFERRER_FIELD = "source_referrer"


@dataclass(frozen=True)
class Source:
    source: str = ""
    medium: str = ""
    campaign: str = ""
    referrer_host: str = ""

    def __bool__(self) -> bool:
        return bool(self.source or self.medium or self.campaign or self.referrer_host)


NO_SOURCE = Source()


def clean_value(raw: str | None) -> str:
    """'' for nothing, the value lower-cased when it is a plain short word, else 'other'."""
    if not raw:
        return ""
    value = raw.strip().lower()
    return value if VALUE.fullmatch(value) else OTHER


def clean_host(raw: str | None) -> str:
    """A host name as the page's script reports it, or '' (an address, a URL: nothing)."""
    value = (raw or "").strip().lower().rstrip(".")
    return value if HOST.fullmatch(value) and not value.replace(".", "").isdigit() else ""


def source_from_link(slug: str, query: Mapping[str, str]) -> Source:
    """The source a visitor arrived with, from the petition URL's query string."""
    if not query:
        return Source()
    ref = clean_value(query.get("ref"))
    if ref and ref not in BUILT_IN and ref != OTHER:
        known = TrackedLink.objects.filter(petition__slug=slug, code=ref).exists()
        ref = ref if known else OTHER
    return Source(
        source=ref or clean_value(query.get("utm_source")),
        medium=clean_value(query.get("utm_medium")),
        campaign=clean_value(query.get("utm_campaign")),
    )


def source_from_form(data: Mapping[str, str]) -> Source:
    """The source the sign form carried back (cleaned again: the fields are the client's)."""
    return Source(
        source=clean_value(data.get(FIELDS["source"])),
        medium=clean_value(data.get(FIELDS["medium"])),
        campaign=clean_value(data.get(FIELDS["campaign"])),
        referrer_host=clean_host(data.get(REFERRER_FIELD)),
    )


def with_source_fields(html: str, source: Source) -> str:
    """The page with the source's hidden fields in its sign form (unchanged without one)."""
    if not source:
        return html
    fields = format_html_join(
        "",
        '<input type="hidden" name="{}" value="{}">',
        ((name, getattr(source, attr)) for attr, name in FIELDS.items() if getattr(source, attr)),
    )
    return html.replace(SLOT, fields, 1)
