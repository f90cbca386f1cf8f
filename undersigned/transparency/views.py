"""The log over HTTP (C2SP tlog-tiles paths), its public key, and the verifier page.

Everything here is public and the same for everyone, so it may be read from any origin
(a verifier page saved to disk fetches from here).
"""

from __future__ import annotations

import base64
import json

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.views.decorators.http import require_GET

from undersigned.core.site import absolute_url
from undersigned.petitions.models import Petition
from undersigned.petitions.selectors import get_public_petition
from undersigned.transparency import keys, selectors

TEXT = "text/plain; charset=utf-8"
IMMUTABLE = "public, max-age=31536000, immutable"
CHECKPOINT_CACHE = "public, max-age=5, must-revalidate"


def _public(body: bytes | str, content_type: str, cache_control: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Cache-Control"] = cache_control
    response["Access-Control-Allow-Origin"] = "*"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _logged_petition(slug: str) -> Petition:
    """The public petition (never a draft: its log does not exist) with a log."""
    petition = get_public_petition(slug)
    if not selectors.log_size(petition):
        raise Http404("No log")
    return petition


@require_GET
def checkpoint(request: HttpRequest, slug: str) -> HttpResponse:
    note = selectors.latest_checkpoint(_logged_petition(slug))
    if note is None:
        raise Http404("No checkpoint")
    return _public(note, TEXT, CHECKPOINT_CACHE)


@require_GET
def old_checkpoint(request: HttpRequest, slug: str, size: int) -> HttpResponse:
    note = selectors.checkpoint_at(_logged_petition(slug), size)
    if note is None:
        raise Http404("No checkpoint of that size")
    return _public(note, TEXT, IMMUTABLE)


@require_GET
def checkpoints(request: HttpRequest, slug: str) -> HttpResponse:
    """Every checkpoint this log has signed, by size: one "checkpoint/<size>" path a line."""
    sizes = selectors.checkpoint_sizes(_logged_petition(slug))
    return _public("".join(f"checkpoint/{n}\n" for n in sizes), TEXT, CHECKPOINT_CACHE)


@require_GET
def tile(request: HttpRequest, slug: str, path: str) -> HttpResponse:
    petition = _logged_petition(slug)
    try:
        level, n, width = selectors.parse_tile_path(path)
    except selectors.MalformedTilePath as error:
        return HttpResponseBadRequest(str(error), content_type=TEXT)
    body = selectors.tile(petition, level, n, width)
    if body is None:
        raise Http404("No such tile yet")
    return _public(body, "application/octet-stream", IMMUTABLE)


@require_GET
def leaf(request: HttpRequest, slug: str, leaf_hash: str) -> HttpResponse:
    """Where a leaf is: {"index": n}. A receipt shown before the worker appended it knows
    only its leaf's hash; the verifier still proves the inclusion at that index itself."""
    index = selectors.leaf_index(_logged_petition(slug), bytes.fromhex(leaf_hash))
    if index is None:
        raise Http404("No such leaf (yet)")
    return _public(json.dumps({"index": index}), "application/json", CHECKPOINT_CACHE)


@require_GET
def log_key(request: HttpRequest) -> HttpResponse:
    """The public key that signs every checkpoint, in signed-note form and in parts."""
    signer = keys.signer()
    body = {
        "verifier_key": signer.verifier_key,
        "name": signer.name,
        "key_id": signer.key_id.hex(),
        "algorithm": "Ed25519",
        "public_key": base64.b64encode(signer.public).decode(),
    }
    return _public(json.dumps(body), "application/json", "public, max-age=3600")


@require_GET
def verify_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The verifier: plain JavaScript that checks the log in the reader's own browser."""
    petition = get_public_petition(slug)
    context = {
        "petition": petition, "verifier_key": keys.signer().verifier_key,
        "origin": keys.origin(slug), "log_url": absolute_url("transparency:checkpoints", slug=slug),
        "count_url": absolute_url("signatures:count_json", slug=slug),
    }  # fmt: skip
    return render(request, "transparency/verify.html", context)
