"""`/metrics`: Prometheus's text format, for a scraper the operator names — nobody else.

Closed unless configured: with neither METRICS_TOKEN nor METRICS_ALLOWED_NETWORKS set it
answers 404, like any page that does not exist. With METRICS_TOKEN, a scrape must send
`Authorization: Bearer <token>`; with METRICS_ALLOWED_NETWORKS, it must come from one of
those networks (the client address TrustedProxyMiddleware worked out, so a request the TLS
proxy forwards from the internet is judged by its real origin, not the proxy's address);
with both, both. A refused scrape gets the same 404 as an unknown page, so a stranger cannot
tell the endpoint exists (docs/operations.md).
"""

from __future__ import annotations

import hmac
import ipaddress

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from undersigned.operations.gauges import DATABASE
from undersigned.operations.metrics import request_registry
from undersigned.web.middleware import client_ip_of


def scrape_allowed(request: HttpRequest) -> bool:
    token, networks = settings.METRICS_TOKEN, settings.METRICS_ALLOWED_NETWORKS
    if not token and not networks:
        return False
    if networks:
        try:
            address = ipaddress.ip_address(client_ip_of(request))
        except ValueError:
            return False
        if not any(address in network for network in networks):
            return False
    if token:
        sent = request.headers.get("Authorization", "")
        scheme, _, credentials = sent.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            credentials.strip().encode(), token.encode()
        ):
            return False
    return True


@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    if not scrape_allowed(request):
        raise Http404
    body = generate_latest(request_registry()) + generate_latest(_database_registry())
    response = HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response


_registry: CollectorRegistry | None = None


def _database_registry() -> CollectorRegistry:
    global _registry
    if _registry is None:
        _registry = CollectorRegistry(auto_describe=False)
        _registry.register(DATABASE)  # type: ignore[arg-type]
    return _registry
