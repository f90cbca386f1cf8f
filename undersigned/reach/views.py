"""Public pages that carry a petition beyond its own page: the share card image, tracked
links, QR codes."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from undersigned.petitions.selectors import get_public_petition, tracked_link_petition
from undersigned.reach.qr import qr_image, qr_target
from undersigned.reach.share_card import share_card_png
from undersigned.signatures.selectors import count_snapshot
from undersigned.signatures.sources import clean_value

CARD_CACHE_CONTROL = "public, max-age=86400"


@require_GET
def share_card(request: HttpRequest, slug: str, language: str, bucket: int) -> HttpResponse:
    """The card of the current bucket; an older (or made-up) bucket's URL is sent on to it,
    so only one image per petition and language is ever drawn at a time."""
    petition = get_public_petition(slug)
    if language not in dict(settings.LANGUAGES):
        raise Http404
    current = count_snapshot(petition).bucket
    if bucket != current:
        response: HttpResponse = HttpResponseRedirect(share_card_path(slug, language, current))
        response["Cache-Control"] = "public, max-age=60"
        return response
    response = HttpResponse(share_card_png(petition, language, current), content_type="image/png")
    response["Cache-Control"] = CARD_CACHE_CONTROL
    return response


def share_card_path(slug: str, language: str, bucket: int) -> str:
    return reverse(
        "reach:share_card", kwargs={"slug": slug, "language": language, "bucket": bucket}
    )


@require_GET
def tracked_link(request: HttpRequest, code: str) -> HttpResponse:
    """`/p/<code>`: on to the petition with `?ref=<code>`, so its signatures carry the code."""
    petition = tracked_link_petition(code)
    target = reverse("signatures:petition", kwargs={"slug": petition.slug})
    response = HttpResponseRedirect(f"{target}?{urlencode({'ref': code})}")
    response["Cache-Control"] = "public, max-age=300"
    return response


QR_TYPES = {"svg": "image/svg+xml", "png": "image/png"}


@require_GET
def qr_code(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    """`/petitions/<slug>/qr.svg|png[?ref=<tracked link code>]`: the petition's QR code."""
    petition = get_public_petition(slug)
    if kind not in QR_TYPES:
        raise Http404
    target = qr_target(petition, clean_value(request.GET.get("ref")))
    response = HttpResponse(qr_image(target, kind), content_type=QR_TYPES[kind])
    response["Cache-Control"] = "public, max-age=86400"
    return response
