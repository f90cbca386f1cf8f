"""Which pages other sites may frame: none, except the one view that says so.

The Content Security Policy (settings: `frame-ancestors 'none'`) and `X-Frame-Options: DENY`
keep every page out of other sites' frames, against clickjacking. A view meant to be embedded
anywhere (the petition embed, `/petitions/<slug>/embed/`) is decorated with
`frameable_by_any_site`; see docs/security.md.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from csp.decorators import csp_replace
from django.views.decorators.clickjacking import xframe_options_exempt

ANY_SITE = {"frame-ancestors": ["*"]}


def frameable_by_any_site(view: Callable[..., Any]) -> Callable[..., Any]:
    """The response may be shown in a frame on any site: `frame-ancestors *` in the policy
    (enforced and report-only alike) and no X-Frame-Options header. Everything else in the
    policy stays as it is."""
    view = csp_replace(ANY_SITE)(view)
    view = csp_replace(ANY_SITE, REPORT_ONLY=True)(view)
    return xframe_options_exempt(view)
