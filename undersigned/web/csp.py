"""django-csp's middleware, with each policy that has no nonce built once per process.

django-csp builds the Content-Security-Policy header (and its report-only twin) from the
settings and the view's decorators on every answer: under a surge of petition pages, embeds
and count polls that rebuilding was about 8% of a request (docs/scaling.md). A policy without
a nonce depends only on the settings and on the decorators' values (`csp_replace`,
`csp_update`, `csp_exempt`), so it is built the first time and kept, keyed by those values;
a change of settings (tests' override_settings) forgets them all. A page that used a nonce
(the Django admin's inline scripts) is handled by django-csp itself, exactly as before.

The rules of django-csp 4.0's `process_response` are kept: no header on a 404 or 500 while
DEBUG is on, none over a header the view set itself, none on an exempt response or an
excluded path prefix, and after the answer `request.csp_nonce` raises.
"""

from __future__ import annotations

import http.client
from typing import Any

from csp import middleware as csp
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase

_DEBUG_EXEMPT = (http.client.INTERNAL_SERVER_ERROR, http.client.NOT_FOUND)
_PARTS = ("config", "update", "replace")  # what a view's decorators put on its response
# (report_only, config, update, replace) as repr -> the header's value ("" for none); a view
# that made up a new policy on every answer would find it built afresh past this many.
_policies: dict[tuple[bool, str, str, str], str] = {}
MAX_POLICIES = 256
# (report_only) -> the policy setting's excluded path prefixes
_excluded: dict[bool, tuple[str, ...]] = {}


@receiver(setting_changed)
def _forget_policies(*, setting: str, **_kwargs: Any) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _policies.clear()
        _excluded.clear()


def _policy(response: HttpResponseBase, report_only: bool) -> str:
    suffix = "_ro" if report_only else ""
    parts = tuple(getattr(response, f"_csp_{part}{suffix}", None) for part in _PARTS)
    key = (report_only, repr(parts[0]), repr(parts[1]), repr(parts[2]))
    policy = _policies.get(key)
    if policy is None:
        config, update, replace = parts
        policy = build_policy(config, update, replace, None, report_only)
        if len(_policies) < MAX_POLICIES:
            _policies[key] = policy
    return policy


def _excluded_prefixes(report_only: bool) -> tuple[str, ...]:
    prefixes = _excluded.get(report_only)
    if prefixes is None:
        name = "CONTENT_SECURITY_POLICY_REPORT_ONLY" if report_only else "CONTENT_SECURITY_POLICY"
        policy = getattr(settings, name) or {}  # both are set, one of them None
        prefixes = _excluded[report_only] = tuple(policy.get("EXCLUDE_URL_PREFIXES", None) or ())
    return prefixes


class CSPMiddleware(csp.CSPMiddleware):
    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if getattr(request, "_csp_nonce", None) is not None:
            return super().process_response(request, response)  # a nonce: built per answer
        if response.status_code in _DEBUG_EXEMPT and settings.DEBUG:
            return response
        for report_only, header in ((False, HEADER), (True, HEADER_REPORT_ONLY)):
            policy = _policy(response, report_only)
            exempt = getattr(response, "_csp_exempt_ro" if report_only else "_csp_exempt", False)
            if (
                policy
                and header not in response
                and exempt is False
                and not request.path_info.startswith(_excluded_prefixes(report_only))
            ):
                response[header] = policy
        # As django-csp does: a nonce asked for after the header went out would not be in it.
        request.csp_nonce = csp.CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response
