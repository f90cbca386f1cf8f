"""oEmbed (https://oembed.com/, version 1.0) for petition links, and the partners' script.

`/oembed?url=<a petition URL of this site>&format=json[&maxwidth=&maxheight=]` answers a
"rich" response whose `html` is the widget's iframe, so a CMS turns a pasted petition link
into the widget. A URL of another host, of no petition or of one the public cannot see is
404; a format other than json is 501 (as the spec says); maxwidth and maxheight are bounded
and the size never exceeds them. The petition page links here (`rel="alternate"`,
`type="application/json+oembed"`: discovery, spec section 4).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.html import format_html
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from undersigned.core.site import absolute_path_url, absolute_url
from undersigned.petitions.models import Petition
from undersigned.petitions.selectors import get_public_petition, tracked_link_petition

WIDTH, HEIGHT = 400, 420
SIZE_LIMIT = 4000
PETITION_VIEWS = {"signatures:petition", "reach:embed"}
LOADER = Path(__file__).parent / "static" / "reach" / "embed-loader.js"


def _bounded(raw: str | None, default: int) -> int:
    """min(default, maxwidth) for a whole number 1…SIZE_LIMIT; anything else: the default."""
    if raw is None or not raw.isdigit() or not 0 < int(raw) <= SIZE_LIMIT:
        return default
    return min(default, int(raw))


def petition_of_url(url: str) -> Petition:
    """The public petition a URL of this site shows (its page, its embed or a tracked link)."""
    parts, own = urlsplit(url), urlsplit(absolute_path_url("/"))
    if (parts.scheme, parts.netloc) != (own.scheme, own.netloc) or len(url) > 2000:
        raise Http404
    try:
        match = resolve(parts.path)
    except Resolver404:
        raise Http404 from None
    if match.view_name in PETITION_VIEWS:
        return get_public_petition(match.kwargs["slug"])
    if match.view_name == "reach:tracked_link":
        return tracked_link_petition(match.kwargs["code"])
    raise Http404


def embed_iframe(petition: Petition, *, width: int, height: int, form: bool = False) -> str:
    src = absolute_url("reach:embed", slug=petition.slug)
    if form:
        src += "?" + urlencode({"form": "1"})
    return format_html(
        '<iframe src="{}" width="{}" height="{}" title="{}" loading="lazy" '
        'style="border:0;max-width:100%"></iframe>',
        src, width, height, petition.title,
    )  # fmt: skip


@require_GET
def oembed(request: HttpRequest) -> HttpResponse:
    petition = petition_of_url(request.GET.get("url", ""))
    if request.GET.get("format", "json") != "json":
        return HttpResponse(status=501)
    width = _bounded(request.GET.get("maxwidth"), WIDTH)
    height = _bounded(request.GET.get("maxheight"), HEIGHT)
    response = JsonResponse(
        {
            "version": "1.0",
            "type": "rich",
            "title": petition.title,
            "provider_name": "Undersigned",
            "provider_url": absolute_path_url("/"),
            "cache_age": 3600,
            "html": embed_iframe(petition, width=width, height=height),
            "width": width,
            "height": height,
        }
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def embed_script(request: HttpRequest) -> HttpResponse:
    """The partners' script at a stable address (the static one changes with each release)."""
    response = HttpResponse(LOADER.read_bytes(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    return response
