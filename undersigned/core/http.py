"""Small response helpers shared by every app's views."""

from __future__ import annotations

from django.http import HttpResponseRedirect


def see_other(url: str) -> HttpResponseRedirect:
    """303 after a POST: the browser follows with a GET, so reloading never re-submits."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response
