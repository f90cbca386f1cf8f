"""Which group a request's route belongs to, for metrics and logs: decided by the name the
URL resolver gave the route (never the path, so a metric's labels stay few whatever URLs
clients make up).

Groups: page (the public pages people read), sign, confirm, count (the live counters), api,
staff, admin, other (everything else: static files, health checks, the log tiles, 404s for
paths no route matches).
"""

from __future__ import annotations

from typing import Any

GROUPS = ("page", "sign", "confirm", "count", "api", "staff", "admin", "other")

BY_ROUTE = {
    "web:home": "page",
    "web:case": "page",
    "web:privacy": "page",
    "signatures:petition": "page",
    "signatures:check_email": "page",
    "signatures:thank_you": "page",
    "debates:debate": "page",
    "reach:embed": "page",
    "signatures:sign": "sign",
    "signatures:confirm": "confirm",
    "signatures:count_json": "count",
}
# By the first namespace of the route's name, for every route not named above.
BY_NAMESPACE = {"staff": "staff", "otp_webauthn": "staff", "admin": "admin"}

_known: dict[str, str] = {}  # route name -> group, filled as routes are met (a few dozen)


def group_of_route(view_name: str) -> str:
    group = _known.get(view_name)
    if group is None:
        group = BY_ROUTE.get(view_name)
        if group is None:
            namespace = view_name.split(":", 1)[0] if ":" in view_name else ""
            group = BY_NAMESPACE.get(namespace) or (
                "api" if namespace.startswith("api") else "other"
            )
        _known[view_name] = group
    return group


def group_of(request: Any) -> str:
    """The request's group; "other" when no route matched (static files, unknown paths)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "other"
    return group_of_route(match.view_name)
