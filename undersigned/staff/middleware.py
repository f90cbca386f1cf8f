"""Two middlewares for the back office and the Django admin (and nothing else: public pages,
the hot paths, pass straight through).

- `StaffSessionMiddleware` ends a session that has been idle or signed in too long, and notes
  activity for the session list.
- `TwoFactorMiddleware` sends a signed-in account that has not passed its second factor to
  pass it, or — where one is required and none is set up — to set one up. Only the sign-in
  pages themselves are reachable before.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone

from undersigned.campaigns.permissions import requires_two_factor
from undersigned.staff import sessions
from undersigned.staff.two_factor import has_second_factor

GUARDED = settings.STAFF_PATHS
# Reachable with the password alone: signing in and out, and the second-factor pages.
BEFORE_SECOND_FACTOR = (
    "/staff/login/", "/staff/logout/", "/staff/sign-in/", "/admin/login/", "/admin/logout/",
)  # fmt: skip


class StaffSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(GUARDED) or not request.user.is_authenticated:
            return self.get_response(request)
        now = timezone.now()
        if sessions.expired(request, now):
            sessions.ended(request)
            logout(request)
            query = urlencode({"next": request.get_full_path(), "expired": "1"})
            return HttpResponseRedirect(f"{reverse('staff:login')}?{query}")
        sessions.touch(request, now)
        with sessions.serving(request):
            return self.get_response(request)


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path.startswith(GUARDED) and not path.startswith(BEFORE_SECOND_FACTOR):
            user = request.user
            if user.is_authenticated and not user.is_verified():  # type: ignore[union-attr,attr-defined]
                if has_second_factor(user):
                    return _to("staff:second_factor", request)
                if requires_two_factor(user):
                    return _to("staff:enrol", request)
        return self.get_response(request)


def _to(name: str, request: HttpRequest) -> HttpResponseRedirect:
    query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
    return HttpResponseRedirect(reverse(name) + (f"?{query}" if query else ""))
