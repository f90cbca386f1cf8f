"""The signer's "manage my data" pages. Rules in services.py; see there for the link and the
session cookie. Every page is `never_cache`: they show one person's data."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from undersigned.core import personal_data
from undersigned.core.formtoken import issue_form_token, protect_public_form
from undersigned.core.http import see_other
from undersigned.privacy.my_data import services as my_data
from undersigned.privacy.my_data.export import my_data_json
from undersigned.privacy.my_data.forms import EraseForm, MyDataRequestForm, SignatureChoiceForm
from undersigned.signatures.erasure import WithdrawOutcome, withdraw_signature
from undersigned.signatures.services import unsubscribe_from_updates

_DONE = {"withdrawn", "closed", "unsubscribed"}


def _manage_url(done: str = "") -> str:
    return reverse("privacy_public:my_data_manage") + (f"?done={done}" if done else "")


def _forget_cookie(response: HttpResponse) -> HttpResponse:
    response.delete_cookie(my_data.COOKIE_NAME, path=my_data.COOKIE_PATH, samesite="Strict")
    return response


def with_data_session(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Pass the open session, or answer "your session has ended" (and drop a stale cookie)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        session = my_data.session_for(request.COOKIES.get(my_data.COOKIE_NAME))
        if session is None:
            response = render(request, "privacy/my_data_ended.html", status=403)
            return _forget_cookie(response)
        return view(request, session, *args, **kwargs)

    return wrapper


@require_http_methods(["GET", "POST"])
@protect_public_form
@never_cache
def request_link(request: HttpRequest) -> HttpResponse:
    """The same answer for every well-formed address: a redirect to "check your email"."""
    form = MyDataRequestForm(request.POST or None)
    if request.method == "POST":
        if my_data.request_rate_exceeded(request.client_ip):  # type: ignore[attr-defined]
            return render(request, "privacy/my_data_slow_down.html", status=429)
        if form.is_valid():
            if not form.is_bot:
                my_data.request_link(form.cleaned_data["email"], get_language() or "en")
            return see_other(reverse("privacy_public:my_data_sent"))
    context = {"form": form, "form_token": issue_form_token()}
    status = 422 if form.errors else 200
    return render(request, "privacy/my_data_request.html", context, status=status)


@require_GET
def link_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/my_data_sent.html")


@require_http_methods(["GET", "POST"])
@protect_public_form
@never_cache
def open_link(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (mail scanners prefetch links); only POST uses the link up."""
    if request.method == "POST":
        cookie = my_data.open_session(token)
        if cookie is not None:
            response = see_other(_manage_url())
            response.set_cookie(
                my_data.COOKIE_NAME, cookie, max_age=int(my_data.SESSION_LIFETIME.total_seconds()),
                path=my_data.COOKIE_PATH, secure=settings.SESSION_COOKIE_SECURE,
                httponly=True, samesite="Strict",
            )  # fmt: skip
            return response
        usable = False
    else:
        usable = my_data.link_is_usable(token)
    context = {"usable": usable, "token": token, "form_token": issue_form_token()}
    return render(request, "privacy/my_data_link.html", context, status=200 if usable else 404)


@require_GET
@never_cache
@with_data_session
def manage(request: HttpRequest, session: Any) -> HttpResponse:
    done = request.GET.get("done", "")
    context = {
        "signatures": my_data.my_signatures(session),
        "other_data": personal_data.summary(session.email),
        "done": done if done in _DONE else "",
        "form_token": issue_form_token(),
        "expires_at": session.expires_at,
    }
    return render(request, "privacy/my_data_manage.html", context)


@require_POST
@protect_public_form
@never_cache
@with_data_session
def withdraw(request: HttpRequest, session: Any) -> HttpResponse:
    form = SignatureChoiceForm(request.POST)
    if not form.is_valid():
        return see_other(_manage_url())
    outcome = withdraw_signature(form.cleaned_data["signature"], session.email)
    done = {WithdrawOutcome.WITHDRAWN: "withdrawn", WithdrawOutcome.PETITION_CLOSED: "closed"}
    return see_other(_manage_url(done.get(outcome, "")))


@require_POST
@protect_public_form
@never_cache
@with_data_session
def unsubscribe(request: HttpRequest, session: Any) -> HttpResponse:
    form = SignatureChoiceForm(request.POST)
    signature = form.is_valid() and my_data.owns_signature(session, form.cleaned_data["signature"])
    if not signature:
        return see_other(_manage_url())
    unsubscribe_from_updates(signature)
    return see_other(_manage_url("unsubscribed"))


@require_GET
@never_cache
@with_data_session
def download(request: HttpRequest, session: Any) -> HttpResponse:
    response = HttpResponse(my_data_json(session), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response


@require_http_methods(["GET", "POST"])
@protect_public_form
@never_cache
@with_data_session
def erase(request: HttpRequest, session: Any) -> HttpResponse:
    """GET asks for confirmation; POST with the box ticked erases everything."""
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        my_data.erase_everything(session)
        return _forget_cookie(see_other(reverse("privacy_public:my_data_erased")))
    context = {"form": form, "form_token": issue_form_token()}
    status = 422 if form.errors else 200
    return render(request, "privacy/my_data_erase.html", context, status=status)


@require_POST
@protect_public_form
def sign_out(request: HttpRequest) -> HttpResponse:
    my_data.end_session(request.COOKIES.get(my_data.COOKIE_NAME))
    return _forget_cookie(see_other(reverse("privacy_public:my_data")))


@require_GET
def erased(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/my_data_erased.html")
