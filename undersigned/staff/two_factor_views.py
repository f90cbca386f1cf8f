"""Pages of two-factor sign-in: pass the second factor, set one up, recovery codes, and the
account page (factors and sessions). Rules live in two_factor.py and sessions.py."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from undersigned.campaigns.permissions import requires_two_factor
from undersigned.core.http import see_other
from undersigned.staff import sessions, two_factor
from undersigned.staff.forms import CodeForm
from undersigned.staff.two_factor import Outcome


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def _locked_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return render(request, "staff/locked_out.html", status=429)  # as django-axes answers


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def second_factor(request: HttpRequest) -> HttpResponse:
    if request.user.is_verified():  # type: ignore[union-attr]
        return redirect(_next(request))
    if not two_factor.has_second_factor(request.user):
        return redirect("staff:enrol")
    if two_factor.is_locked_out(request):
        return _locked_out(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = two_factor.verify_code(request, form.cleaned_data["code"])
        if outcome == Outcome.PASSED:
            return see_other(_next(request))
        if two_factor.is_locked_out(request):
            return _locked_out(request)
        form.refuse(outcome)
    factors = two_factor.second_factors_of(request.user)
    context = {"form": form, "next": _next(request), "has_passkey": bool(factors["passkeys"])}
    return render(request, "staff/second_factor.html", context, status=400 if form.errors else 200)


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app (or a passkey, by script). Someone who already has a
    factor must pass it first: a stolen password alone adds no device."""
    if two_factor.has_second_factor(request.user) and not request.user.is_verified():  # type: ignore[union-attr]
        return redirect("staff:second_factor")
    if two_factor.is_locked_out(request):
        return _locked_out(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = two_factor.confirm_app(request, form.cleaned_data["code"])
        if outcome == Outcome.PASSED:
            return _show_new_codes(request)
        if two_factor.is_locked_out(request):
            return _locked_out(request)
        form.refuse(outcome)
    device = two_factor.pending_app(request.user)
    required = requires_two_factor(request.user)
    context = {
        "form": form, "next": _next(request), "qr_svg": two_factor.qr_code_svg(device),
        "secret": two_factor.readable_secret(device), "required": required,
        # Adding another factor, or one nobody requires: the back office stays open.
        "may_leave": request.user.is_verified() or not required,  # type: ignore[union-attr]
    }  # fmt: skip
    return render(request, "staff/enrol.html", context, status=400 if form.errors else 200)


def _show_new_codes(request: HttpRequest) -> HttpResponse:
    """The only time the codes are shown: in this response, never stored readable."""
    codes = two_factor.issue_recovery_codes(acting_user=request.user)
    response = render(
        request, "staff/recovery_codes.html", {"codes": codes, "next": _next(request)}
    )
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@require_POST
@login_required
def new_recovery_codes(request: HttpRequest) -> HttpResponse:
    return _show_new_codes(request)


@never_cache
@require_GET
@login_required
def account(request: HttpRequest) -> HttpResponse:
    """Your second factors, your recovery codes and your signed-in sessions."""
    context = {
        **two_factor.second_factors_of(request.user),
        "sessions": sessions.active_sessions(request.user),
        "required": requires_two_factor(request.user),
    }
    return render(request, "staff/account.html", context)


@require_POST
@login_required
def end_session(request: HttpRequest, session_id: int) -> HttpResponse:
    sessions.end_session(request.user, session_id, acting_user=request.user)
    return see_other(reverse("staff:account"))
