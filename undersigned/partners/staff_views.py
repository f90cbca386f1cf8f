"""The back office's partner pages: the organisation's API keys (admins), and on each
petition what partners recorded and whether it counts partner-verified signatures."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from undersigned.campaigns.permissions import Action, may, require_somewhere
from undersigned.core.http import see_other
from undersigned.core.opaque_ids import opaque_id
from undersigned.core.site import absolute_path_url
from undersigned.partners import selectors, services
from undersigned.partners.forms import ApiKeyForm, PartnerPolicyForm
from undersigned.petitions.models import Petition
from undersigned.petitions.selectors import petition_for_staff


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def api_keys(request: HttpRequest) -> HttpResponse:
    """The keys of every organisation the member administers; a new one is shown once."""
    require_somewhere(request.user, Action.MANAGE_API_KEYS)
    organisations = selectors.organisations_managing_keys(request.user)
    form = ApiKeyForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = services.create_api_key(
            data["organisation"], name=data["name"], scopes=data["scopes"],
            acting_user=request.user,
        )  # fmt: skip
        context = {"created": created, "api_root": absolute_path_url(selectors.API_ROOT)}
        response = render(request, "partners/key_created.html", context)
        response["Cache-Control"] = "private, no-store"  # the key: never in any cache
        return response
    context = {"keys": selectors.api_keys_for(request.user), "form": form}
    return render(request, "partners/api_keys.html", context, status=422 if form.errors else 200)


@require_POST
@login_required
def revoke_key(request: HttpRequest, key_id: int) -> HttpResponse:
    api_key = selectors.api_key_for_staff(request.user, key_id)
    if services.revoke_api_key(api_key, acting_user=request.user):
        messages.success(request, _("The key “%(name)s” is revoked.") % {"name": api_key.name})
    return see_other(reverse("staff:partners:api_keys"))


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def petition_partners(request: HttpRequest, slug: str) -> HttpResponse:
    """Every role sees the counts; the organisation's admins set the partner policy."""
    action = Action.MANAGE_API_KEYS if request.method == "POST" else Action.VIEW_NUMBERS
    petition = petition_for_staff(request.user, slug, action)
    allowed = selectors.accepts_partner_verified(petition)
    # An unticked box sends nothing: an empty POST is the answer "no".
    data = request.POST if request.method == "POST" else None
    form = PartnerPolicyForm(data, initial={"accepts_partner_verified": allowed})
    if request.method == "POST" and form.is_valid():
        wanted = form.cleaned_data["accepts_partner_verified"]
        if services.set_partner_verified(petition, wanted, acting_user=request.user):
            messages.success(request, _("The partner policy is saved."))
        return see_other(reverse("staff:partners:petition", kwargs={"slug": petition.slug}))
    return render(request, "partners/petition_partners.html", _context(request, petition, form))


def _context(request: HttpRequest, petition: Petition, form: PartnerPolicyForm) -> dict:
    return {
        "petition": petition,
        "form": form,
        "allowed": selectors.accepts_partner_verified(petition),
        "may_change": may(request.user, Action.MANAGE_API_KEYS, petition.case.organisation),
        "counts": selectors.partner_counts(petition),
        "by_key": selectors.recorded_by_key(petition),
        "api_id": opaque_id("petition", petition.pk),
    }
