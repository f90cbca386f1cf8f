"""The debate page, rendered once and served from the cache while nothing it shows moved —
the petition page's scheme (signatures/pages.py).

Each (debate, language, variant) is rendered once and kept with the debate's `version`; it is
rendered again when the version moved (an argument published, corrected or taken down, the
worker's tally, closing: seen within selectors.VERSION_CACHE_SECONDS in every process), and at
the latest after PAGE_CACHE_SECONDS. The page holds nothing of its visitor (its form token is
shared, core/formtoken.py), so a CDN can cache it too. The variants are what a POST redirects
to: "vote" (thanks), "already" (your vote was in), "stance" (the poll's results shown).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import get_language

from undersigned.debates.models import Debate
from undersigned.debates.selectors import debate_version, get_public_debate

PAGE_CACHE_SECONDS = 60
VARIANTS = frozenset({"", "vote", "already", "stance"})


@dataclass(frozen=True)
class CachedPage:
    version: int
    html: str


def cached_debate_page(
    request: HttpRequest, case_slug: str, slug: str, variant: str,
    render_context: Callable[[Debate, str], dict[str, Any]],
) -> str:  # fmt: skip
    variant = variant if variant in VARIANTS else ""
    key = f"debate-page:{case_slug}:{slug}:{get_language()}:{variant}"
    entry: CachedPage | None = cache.get(key)
    if entry is not None and debate_version(case_slug, slug) == entry.version:
        return entry.html
    debate = get_public_debate(case_slug, slug)
    html = render_to_string("debates/debate.html", render_context(debate, variant), request)
    cache.set(key, CachedPage(debate.version, html), timeout=PAGE_CACHE_SECONDS)
    return html
