"""Request plumbing: the real client address behind a trusted proxy, a body-size limit, and
the security headers Django does not send itself."""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string


def client_ip_from(remote_addr: str, forwarded_for: str, trusted: list) -> str:
    """The first address, from the right, that is not one of our trusted proxies.

    X-Forwarded-For is believed only when the direct peer is a trusted proxy; the rightmost
    untrusted hop is the one no client can forge.
    """
    networks = tuple(trusted)
    if not networks or not _peer_is_trusted(remote_addr, networks):
        return remote_addr
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        try:
            ip = ipaddress.ip_address(hop)
        except ValueError:
            return remote_addr
        if not any(ip in network for network in networks):
            return str(ip)
    return remote_addr


@functools.lru_cache(maxsize=256)
def _peer_is_trusted(address: str, networks: tuple) -> bool:
    """Whether the direct peer is a trusted proxy; remembered, since every request asks it
    about the same few addresses (the proxies, or nobody but clients without one)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip_of(request: HttpRequest) -> str:
    """The client address TrustedProxyMiddleware worked out (used by django-axes too)."""
    return getattr(request, "client_ip", request.META.get("REMOTE_ADDR", ""))


class TrustedProxyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.client_ip = client_ip_from(  # type: ignore[attr-defined]
            request.META.get("REMOTE_ADDR", ""),
            request.META.get("HTTP_X_FORWARDED_FOR", ""),
            settings.TRUSTED_PROXIES,
        )
        return self.get_response(request)


def body_limit_for(path: str) -> int:
    """Bytes a request to this path may carry: generous for staff forms, 64 KB elsewhere."""
    for prefix, limit in settings.STAFF_REQUEST_BODY_LIMITS.items():
        if path.startswith(prefix):
            return limit
    return settings.PUBLIC_REQUEST_BODY_LIMIT


class RequestBodyLimitMiddleware:
    """Refuse an oversized body with 413 before anything reads it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = body_limit_for(request.path)
        if length > limit:
            if request.path.startswith("/api/"):  # machines read the reason as JSON
                reason = f"The request body is larger than this endpoint's {limit // 1024} KB."
                return JsonResponse({"detail": reason}, status=413)
            body = render_to_string("web/413.html", {"limit_kb": limit // 1024}, request=None)
            return HttpResponse(body, status=413)
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Permissions-Policy on every answer, and HSTS whenever SECURE_HSTS_SECONDS is set.

    Django's SecurityMiddleware sends HSTS only on requests it sees as https; behind a TLS
    proxy it sees http, so the header would never go out. Browsers ignore HSTS received over
    plain http, so sending it on every answer is safe.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if settings.SECURE_HSTS_SECONDS:
            response.headers.setdefault(
                "Strict-Transport-Security", f"max-age={settings.SECURE_HSTS_SECONDS}"
            )
        return response
