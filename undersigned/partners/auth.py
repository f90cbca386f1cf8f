"""Who is calling the private API: an organisation API key, sent as `Authorization: Bearer
<key>` or `X-Api-Key: <key>`, never in the URL (a URL ends up in logs, browser histories
and proxies; one carrying a key is refused with 400 saying so).

Every request counts against its key's limit ("api_requests" in the table of limits, via
core/ratelimit.py); wrong or revoked keys count against the client address's "api_bad_keys"
limit, beyond which they are answered 429 instead of 401. A use stamps the key's
`last_used_at` at most once a minute (partners/services.py).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import APIKeyHeader, HttpBearer

from undersigned.core import ratelimit
from undersigned.partners import keys, selectors, services
from undersigned.partners.models import ApiKey

KEY_HEADER = "X-Api-Key"
QUERY_NAMES = {"key", "api_key", "apikey", "access_token", "token", "auth", "authorization"}
KEY_IN_URL = (
    "An API key was sent in the URL; URLs are written to logs, so keys go only in a header "
    f"(Authorization: Bearer <key>, or {KEY_HEADER}: <key>). Revoke this key and make a new one."
)
NO_KEY = f"Send your organisation's API key as Authorization: Bearer <key> or {KEY_HEADER}: <key>."


def refuse_key_in_url(request: HttpRequest) -> None:
    for name, values in request.GET.lists():
        if name.lower() in QUERY_NAMES or any(keys.LOOKS_LIKE_A_KEY.search(v) for v in values):
            raise HttpError(400, KEY_IN_URL)


def authenticate(request: HttpRequest, presented: str | None) -> ApiKey | None:
    if not presented:
        return None
    try:
        api_key = selectors.key_of(presented.strip())
    except selectors.KeyProblem as problem:
        if ratelimit.over("api_bad_keys", request.client_ip):  # type: ignore[attr-defined]
            raise HttpError(429, "Too many requests with a wrong API key; wait a minute.") from None
        raise HttpError(401, str(problem)) from None
    if ratelimit.over("api_requests", str(api_key.pk)):
        seconds = ratelimit.limit("api_requests").seconds
        raise HttpError(429, f"This key made too many requests; wait up to {seconds} s.")
    services.stamp_last_used(api_key)
    return api_key


class HeaderKey(APIKeyHeader):
    """`X-Api-Key: <key>`. Runs first, so it also refuses a key in the URL."""

    param_name = KEY_HEADER

    def __call__(self, request: HttpRequest) -> Any:
        refuse_key_in_url(request)
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> ApiKey | None:
        return authenticate(request, key)


class BearerKey(HttpBearer):
    """`Authorization: Bearer <key>`."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiKey | None:
        return authenticate(request, token)


def key_of_request(request: HttpRequest, scope: str) -> ApiKey:
    """The request's key, if it has `scope` (403 otherwise)."""
    api_key: ApiKey = request.auth  # type: ignore[attr-defined]
    if not api_key.allows(scope):
        raise HttpError(403, f"This API key lacks the scope '{scope}'.")
    return api_key
