"""Cookie-free protection for the public forms (sign, confirm).

Django's CSRF protection needs a per-visitor cookie, which would make every petition page
unique to its visitor: no shared cache, no CDN, and a cookie on every signer. Our public
forms instead carry a signed, time-limited form token (proof the form came from this site
recently), and the browser's Origin header must be our own origin. A cross-site page cannot
make a browser post without a foreign Origin, and a script cannot post without first
fetching a token. Staff pages keep Django's CSRF protection.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt

FIELD_NAME = "form_token"
_signer = signing.TimestampSigner(salt="undersigned.core.formtoken")
_PAYLOAD = "form"


def issue_form_token() -> str:
    return _signer.sign(_PAYLOAD)


def form_token_is_valid(token: str | None) -> bool:
    if not token or len(token) > 200:
        return False
    try:
        return _signer.unsign(token, max_age=settings.FORM_TOKEN_MAX_AGE) == _PAYLOAD
    except signing.BadSignature:
        return False


def origin_is_ours(request: HttpRequest) -> bool:
    """True unless the browser says the request comes from another site."""
    origin = request.headers.get("Origin")
    if origin is None:
        return True  # non-browser clients and very old browsers send none
    own = f"{request.scheme}://{request.get_host()}"
    return origin == own or origin in settings.CSRF_TRUSTED_ORIGINS


def form_rejected(request: HttpRequest) -> HttpResponse:
    return render(request, "web/403_csrf.html", status=403)


def protect_public_form(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """On POST, require a valid form token and our own Origin; GET passes through."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "POST" and not (
            origin_is_ours(request) and form_token_is_valid(request.POST.get(FIELD_NAME))
        ):
            return form_rejected(request)
        return view(request, *args, **kwargs)

    return wrapper
