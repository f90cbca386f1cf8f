"""QR codes (segno) for a petition's address with its source: `?ref=qr`, or a tracked link's
short address `/p/<code>` so a street team's flyers count under their own code."""

from __future__ import annotations

import io

import segno
from django.core.cache import cache
from django.urls import reverse
from django.utils.http import urlencode

from undersigned.core.site import absolute_url
from undersigned.petitions.models import Petition, TrackedLink
from undersigned.signatures.sources import QR

QR_CACHE_SECONDS = 24 * 3600


def qr_target(petition: Petition, code: str = "") -> str:
    """The address the code opens: a tracked link of this petition, else the petition with
    the source `qr` (an unknown code falls back to that, without an error)."""
    if code and TrackedLink.objects.filter(petition=petition, code=code).exists():
        return absolute_url("reach:tracked_link", code=code)
    return absolute_url("signatures:petition", slug=petition.slug) + "?" + urlencode({"ref": QR})


def short_address(petition: Petition, code: str = "") -> str:
    """What a poster prints under the code for people who type: without the scheme."""
    target = qr_target(petition, code)
    return target.split("://", 1)[-1]


def qr_svg_inline(target: str, *, scale: int = 6) -> str:
    """An <svg> element for HTML and PDF (WeasyPrint fetches nothing, so it is inline)."""
    return segno.make(target, error="m").svg_inline(scale=scale, dark="#000", light="#fff")


def qr_image(target: str, kind: str) -> bytes:
    """The code as an SVG or PNG file, from the cache after the first time."""
    key = f"qr:{kind}:{target}"
    data: bytes | None = cache.get(key)
    if data is None:
        buffer = io.BytesIO()
        code = segno.make(target, error="m")
        if kind == "svg":
            code.save(buffer, kind="svg", scale=8, border=4, xmldecl=True, title=target)
        else:
            code.save(buffer, kind="png", scale=10, border=4)
        data = buffer.getvalue()
        cache.set(key, data, timeout=QR_CACHE_SECONDS)
    return data


def qr_path(petition: Petition, kind: str) -> str:
    return reverse("reach:qr", kwargs={"slug": petition.slug, "kind": kind})
