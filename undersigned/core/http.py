"""Small response helpers shared by every app's views."""

from __future__ import annotations

from django.http import HttpResponseRedirect


def see_other(url: str) -> HttpResponseRedirect:
    """303 after a POST: the browser follows with a GET, so reloading never re-submits."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


# A public page rendered from the cache: shared caches (a CDN) keep it 5 s and may serve it
# 30 s more while they fetch a fresh one; browsers ask again each time. As
# patch_cache_control(public=True, max_age=0, s_maxage=5, stale_while_revalidate=30) writes
# it, without parsing a header on every request of a surge.
CACHED_PUBLIC_PAGE = "public, max-age=0, s-maxage=5, stale-while-revalidate=30"
