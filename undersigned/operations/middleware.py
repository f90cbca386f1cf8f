"""The first middleware of every request: its id, its metrics and its access-log line.

- Request id: 16 hex digits, made here, or the `X-Request-ID` the TLS proxy sent (when the
  direct peer is one of TRUSTED_PROXIES and the id is 8 to 64 letters, digits, `.`, `_`, `-`).
  Every log line written while the request is served carries it (core/jsonlog.py), and the
  answer carries it back as `X-Request-ID`.
- Metrics: the request is counted by route group, method and status, and its duration
  observed (operations/metrics.py) — no database, no network, a few microseconds.
- Access log: with LOG_REQUESTS (on with LOG_FORMAT=json) one line per request on the logger
  `undersigned.requests`: route group, route name, method, status, duration. Never the path
  or the query string (paths carry tokens), never the client's address.

It must stay first (outermost) in settings.MIDDLEWARE, so it times and counts everything
after it, whitenoise's static files and the answers of other middleware (413, 429) included.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import time
from collections.abc import Callable
from random import getrandbits

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from undersigned.core.jsonlog import request_id
from undersigned.operations.metrics import METHODS, observe
from undersigned.operations.routes import group_of

logger = logging.getLogger("undersigned.requests")
_INBOUND_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


def _id_for(request: HttpRequest) -> str:
    inbound = request.META.get("HTTP_X_REQUEST_ID")
    if inbound and settings.TRUSTED_PROXIES and _INBOUND_ID.fullmatch(inbound):
        try:
            peer = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
        except ValueError:
            peer = None
        if peer is not None and any(peer in net for net in settings.TRUSTED_PROXIES):
            return inbound
    return f"{getrandbits(64):016x}"  # an id, not a secret: a fast PRNG will do


class RequestMetricsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.log_requests = settings.LOG_REQUESTS

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        this_id = request.request_id = _id_for(request)  # type: ignore[attr-defined]
        context = request_id.set(this_id)
        try:
            response = self.get_response(request)
            seconds = time.perf_counter() - started
            group = group_of(request)
            method = request.method or ""
            observe(group, method, response.status_code, seconds)
            response.headers["X-Request-ID"] = this_id
            if self.log_requests:
                self.log(request, group, method, response.status_code, seconds)
            return response
        finally:
            request_id.reset(context)

    def log(
        self, request: HttpRequest, group: str, method: str, status: int, seconds: float
    ) -> None:
        """The access line. Built directly (no caller lookup: it is always this line), from
        closed sets only: the route's name, its group, a known method, the status."""
        if not logger.isEnabledFor(logging.INFO):
            return
        match = request.resolver_match
        route = match.view_name if match is not None else ""
        method = method if method in METHODS else "other"
        extra = {
            "route_group": group, "route": route, "method": method, "status": status,
            "duration_ms": round(seconds * 1000, 3),
        }  # fmt: skip
        logger.handle(logger.makeRecord(
            logger.name, logging.INFO, __file__, 0, "%s %s %s",
            (method, route or "unresolved", status), None, extra=extra,
        ))  # fmt: skip
