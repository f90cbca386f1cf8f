"""The back office's webhook pages (admins only: Action.MANAGE_WEBHOOKS).

A secret is shown once, in the answer to the POST that made it (never stored in a cookie,
a message or a URL), with caching forbidden.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from undersigned.campaigns.models import Organisation
from undersigned.core.http import see_other
from undersigned.webhooks import services
from undersigned.webhooks.forms import EndpointForm
from undersigned.webhooks.models import Endpoint
from undersigned.webhooks.selectors import (
    delivery_log,
    delivery_of,
    endpoint_of,
    endpoints_of,
    organisation_for_staff,
)


def _endpoint_url(endpoint: Endpoint) -> str:
    return reverse("staff:webhooks:endpoint", kwargs={
        "organisation": endpoint.organisation.slug, "endpoint_id": endpoint.pk})  # fmt: skip


def _show_secret(request: HttpRequest, endpoint: Endpoint, secret: str, new: bool) -> HttpResponse:
    response = render(request, "webhooks/secret.html", {
        "organisation": endpoint.organisation, "endpoint": endpoint, "secret": secret, "new": new,
    })  # fmt: skip
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)
    return response


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def endpoints(request: HttpRequest, organisation: str) -> HttpResponse:
    """The organisation's webhooks, and the form that adds one."""
    org = organisation_for_staff(request.user, organisation)
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        endpoint, secret = services.create_endpoint(org, acting_user=request.user,
                                                    **form.cleaned_data)  # fmt: skip
        return _show_secret(request, endpoint, secret, new=True)
    context = {"organisation": org, "endpoints": endpoints_of(org), "form": form}
    return render(request, "webhooks/endpoints.html", context, status=422 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def endpoint_page(request: HttpRequest, organisation: str, endpoint_id: int) -> HttpResponse:
    """One webhook: its settings (changed by POST), its state and its delivery log."""
    org = organisation_for_staff(request.user, organisation)
    endpoint = endpoint_of(org, endpoint_id)
    initial = {"name": endpoint.name, "url": endpoint.url, "events": endpoint.events,
               "personal_data": endpoint.personal_data}  # fmt: skip
    form = EndpointForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.change_endpoint(endpoint, acting_user=request.user, **form.cleaned_data)
        messages.success(request, _("The webhook's settings are saved."))
        return see_other(_endpoint_url(endpoint))
    context = {"organisation": org, "endpoint": endpoint, "form": form,
               "deliveries": delivery_log(endpoint)}  # fmt: skip
    return render(request, "webhooks/endpoint.html", context, status=422 if form.errors else 200)


def _act(
    request: HttpRequest, organisation: str, endpoint_id: int
) -> tuple[Organisation, Endpoint]:
    org = organisation_for_staff(request.user, organisation)
    return org, endpoint_of(org, endpoint_id)


@require_POST
@login_required
def enable(request: HttpRequest, organisation: str, endpoint_id: int) -> HttpResponse:
    _org, endpoint = _act(request, organisation, endpoint_id)
    services.enable_endpoint(endpoint, acting_user=request.user)
    messages.success(request, _("The webhook is enabled: new events will be sent to it."))
    return see_other(_endpoint_url(endpoint))


@require_POST
@login_required
def disable(request: HttpRequest, organisation: str, endpoint_id: int) -> HttpResponse:
    _org, endpoint = _act(request, organisation, endpoint_id)
    services.disable_endpoint(endpoint, acting_user=request.user)
    messages.success(request, _("The webhook is disabled: nothing more is sent to it."))
    return see_other(_endpoint_url(endpoint))


@require_POST
@login_required
@never_cache
def rotate(request: HttpRequest, organisation: str, endpoint_id: int) -> HttpResponse:
    _org, endpoint = _act(request, organisation, endpoint_id)
    secret = services.rotate_secret(endpoint, acting_user=request.user)
    return _show_secret(request, endpoint, secret, new=False)


@require_POST
@login_required
def send_test(request: HttpRequest, organisation: str, endpoint_id: int) -> HttpResponse:
    _org, endpoint = _act(request, organisation, endpoint_id)
    services.send_test(endpoint, acting_user=request.user)
    messages.success(request, _("A test is on its way; its answer appears in the log below."))
    return see_other(_endpoint_url(endpoint))


@require_POST
@login_required
def delete(request: HttpRequest, organisation: str, endpoint_id: int) -> HttpResponse:
    org, endpoint = _act(request, organisation, endpoint_id)
    services.delete_endpoint(endpoint, acting_user=request.user)
    messages.success(request, _("The webhook is deleted."))
    return see_other(reverse("staff:webhooks:endpoints", kwargs={"organisation": org.slug}))


@require_POST
@login_required
def redeliver(
    request: HttpRequest, organisation: str, endpoint_id: int, delivery_id: int
) -> HttpResponse:
    _org, endpoint = _act(request, organisation, endpoint_id)
    services.redeliver(delivery_of(endpoint, delivery_id), acting_user=request.user)
    if endpoint.enabled:
        messages.success(request, _("The delivery will be sent again shortly."))
    else:
        messages.success(request, _("The delivery will be sent again once the webhook is enabled."))
    return see_other(_endpoint_url(endpoint))
