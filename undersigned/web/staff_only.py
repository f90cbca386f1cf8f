"""The middlewares only the back office uses, run on its paths and skipped on all others.

Sessions, the signed-in user, the second factor (django-otp) and flash messages serve the
staff pages and the Django admin — the paths in settings.STAFF_PATHS — and nothing else:
the public pages, the public API and the bench's floors are anonymous and cookie-free. Each
class here is the library's own middleware, unchanged, except that on any other path it
hands the request straight on. There `request.session`, `request.user` and the message store
do not exist, so a public view that reached for them would fail loudly instead of acting for
someone (`tests/web/test_public_stack.py`).

In settings.MIDDLEWARE these take the places of the classes they wrap, so the order of the
list — and Django's checks that the admin's middlewares are there, in order — stay as they
were. A middleware added to MIDDLEWARE runs on every path; one that only the back office
needs is wrapped here with `staff_only` (docs/scaling.md, "The public middleware stack").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth import middleware as auth
from django.contrib.messages import middleware as messages
from django.contrib.sessions import middleware as sessions
from django.http import HttpRequest, HttpResponse
from django_otp import middleware as otp


def staff_only(middleware: type) -> type:
    """A subclass of `middleware` that does its work on the staff paths only."""
    if any(hasattr(middleware, hook) for hook in _HOOKS):
        # Django calls these hooks for every request, whatever __call__ decides.
        raise TypeError(f"{middleware.__name__} has view hooks; staff_only cannot skip them")

    def __init__(self: Any, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        middleware.__init__(self, get_response)  # type: ignore[misc]
        self.staff_paths = tuple(settings.STAFF_PATHS)

    def __call__(self: Any, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(self.staff_paths):
            return middleware.__call__(self, request)
        return self.get_response(request)

    return type(
        middleware.__name__,
        (middleware,),
        {
            "__init__": __init__,
            "__call__": __call__,
            "__module__": __name__,
            "__doc__": f"{middleware.__module__}.{middleware.__name__}, on the staff paths only.",
        },
    )


_HOOKS = ("process_view", "process_exception", "process_template_response")

SessionMiddleware = staff_only(sessions.SessionMiddleware)
AuthenticationMiddleware = staff_only(auth.AuthenticationMiddleware)
OTPMiddleware = staff_only(otp.OTPMiddleware)
MessageMiddleware = staff_only(messages.MessageMiddleware)
