"""The petition page, rendered once and served from the cache until its count changes.

Under a surge most requests are people reading the petition. Rendering the page costs far
more than serving it, so each (petition, language) is rendered once, kept with the count it
shows, and re-rendered only when the counting job has moved that count (or after
PAGE_CACHE_SECONDS, so edits appear). The page holds no per-visitor data: its form token is
shared (core/formtoken.py), which also lets a CDN cache it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import get_language

from undersigned.petitions.models import Petition
from undersigned.petitions.selectors import get_public_petition
from undersigned.signatures.selectors import counted_total

PAGE_CACHE_SECONDS = 60


@dataclass(frozen=True)
class CachedPage:
    petition_id: int
    count: int
    html: str


def cached_petition_page(
    request: HttpRequest, slug: str, render_context: Callable[[Petition], dict[str, Any]]
) -> str:
    """The page's HTML; `render_context(petition)` builds the template context on a miss."""
    key = petition_page_key(slug, get_language())
    entry: CachedPage | None = cache.get(key)
    if entry is not None and counted_total(entry.petition_id)[0] == entry.count:
        return entry.html
    petition = get_public_petition(slug)
    context = render_context(petition)
    html = render_to_string("signatures/petition.html", context, request=request)
    entry = CachedPage(petition.pk, context["count"].signature_count, html)
    cache.set(key, entry, timeout=PAGE_CACHE_SECONDS)
    return html


def petition_page_key(slug: str, language: str) -> str:
    return f"petition-page:{slug}:{language}"


def forget_petition_page(slug: str) -> None:
    """Drop the cached page in every language, so the next view shows what just changed
    (a delivery, say) instead of waiting for PAGE_CACHE_SECONDS."""
    cache.delete_many([petition_page_key(slug, code) for code, _name in settings.LANGUAGES])
