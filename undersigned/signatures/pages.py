"""The petition page, rendered once and served from the cache while nothing it shows moved.

Under a surge most requests are people reading the petition. Rendering the page costs far
more than serving it, so each (petition, language) is rendered once and kept with the count
and the petition version (`updated_at`) it shows. It is rendered again when the counting job
has moved the count or the petition has changed (publish, close, an edit, a delivery: seen
within a few seconds in every process), and at the latest after PAGE_CACHE_SECONDS. The page
holds no per-visitor data: its form token is shared (core/formtoken.py), so a CDN can cache
it too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from undersigned.core.cache import InProcess
from undersigned.core.share_meta import ShareMeta
from undersigned.core.site import absolute_path_url, absolute_url
from undersigned.petitions.models import Petition
from undersigned.petitions.selectors import get_public_petition, petition_changed_at
from undersigned.signatures.selectors import CountSnapshot, counted_totals

PAGE_CACHE_SECONDS = 60


@dataclass(frozen=True)
class CachedPage:
    petition_id: int
    count: int
    paper: int  # the paper count shown (the paper app changes it apart from the online one)
    changed_at: datetime | None  # the petition's updated_at when the page was rendered
    html: str


def cached_petition_page(
    request: HttpRequest,
    slug: str,
    render_context: Callable[[Petition], dict[str, Any]],
    *,
    template: str = "signatures/petition.html",
    variant: str = "",
) -> str:
    """The page's HTML; `render_context(petition)` builds the template context on a miss.
    Another page about the petition that shows its count (the embed) is cached the same way
    under its own `template`, one entry per `variant` (its validated options).

    Kept twice: in the shared cache, so one process renders it for all, and in this process's
    memory (core/cache.InProcess), so serving it unpickles nothing; either copy is served only
    while the count and the petition's version are the ones it shows."""
    key = f"petition-page:{slug}:{get_language()}:{template}:{variant}"
    changed_at = petition_changed_at(slug)
    entry: CachedPage | None = _pages.get(key)
    if entry is not None and _is_current(entry, changed_at):
        return entry.html
    entry = cache.get(key)
    if entry is not None and _is_current(entry, changed_at):
        _pages.set(key, entry)
        return entry.html
    petition = get_public_petition(slug)
    context = render_context(petition)
    html = render_to_string(template, context, request=request)
    # The version as later views will read it (this also primes its cache).
    changed_at = petition_changed_at(slug)
    count = context["count"]
    entry = CachedPage(petition.pk, count.signature_count, count.paper_count, changed_at, html)
    cache.set(key, entry, timeout=PAGE_CACHE_SECONDS)
    _pages.set(key, entry)
    return html


def _is_current(entry: CachedPage, changed_at: datetime | None) -> bool:
    return entry.changed_at == changed_at and counted_totals(entry.petition_id)[:2] == (
        entry.count,
        entry.paper,
    )


_pages = InProcess(PAGE_CACHE_SECONDS)


def petition_share_meta(petition: Petition, count: CountSnapshot) -> ShareMeta:
    """The petition page's share tags; the card's URL names the count's bucket and the
    language, so it changes as the count grows (the image is drawn by reach/share_card.py
    when first asked for, never here)."""
    language = get_language() or settings.LANGUAGE_CODE
    card = reverse(
        "reach:share_card",
        kwargs={"slug": petition.slug, "language": language, "bucket": count.bucket},
    )
    description = _("A petition to %(target)s.") % {"target": petition.target}
    canonical = absolute_url("signatures:petition", slug=petition.slug)
    oembed = absolute_url("reach:oembed") + "?" + urlencode({"url": canonical, "format": "json"})
    return ShareMeta(
        title=petition.title,
        description=Truncator(f"{description} {petition.case.summary}").chars(300),
        canonical_url=canonical,
        oembed_url=oembed,
        language=language,
        languages=[code for code, _name in petition.offered_languages],
        image_url=absolute_path_url(card),
        image_alt=_("%(title)s: the petition's title, its count and progress toward the goal")
        % {"title": petition.title},
        image_width=1200,
        image_height=630,
    )
