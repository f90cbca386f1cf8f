"""Every route of the site's URLconf, written as its pattern ("/staff/petitions/<slug:slug>/")."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver


def every_route() -> Iterator[str]:
    def walk(patterns: list[Any], prefix: str) -> Iterator[str]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern)

    return walk(get_resolver().url_patterns, "/")


def staff_routes() -> Iterator[str]:
    return (route for route in every_route() if route.startswith("/staff/"))
