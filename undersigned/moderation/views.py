"""Moderators' staff pages: fraud signals, bulk invalidation (preview → confirm → worker),
reverting a batch, and releasing held signatures.

Every page starts from petition_for_staff(…, Action.MODERATE): 404 for another
organisation's staff, 403 for a role without the right. The rules live in the forms,
selectors and signatures/invalidation.py; these views parse, call and render.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from undersigned.campaigns.permissions import Action, may
from undersigned.core import ratelimit
from undersigned.core.http import see_other
from undersigned.core.replica import read_on_replica
from undersigned.moderation.forms import DATETIME_FORMAT, ConfirmForm, CriteriaForm, ReleaseForm
from undersigned.moderation.selectors import (
    fraud_signals,
    held_by_reason,
    invalidations_of,
)
from undersigned.moderation.services import preview_allowed, queue_invalidation, record_preview
from undersigned.petitions.models import Petition
from undersigned.petitions.selectors import petition_for_staff
from undersigned.signatures.invalidation import (
    count_matching,
    held_signatures,
    release_held,
    revert_invalidation,
)
from undersigned.signatures.models import Invalidation, InvalidationStatus

CHANGED = 409  # the number matching changed between the preview and the confirmation
TOO_MANY = 429  # more previews this hour than the "moderation_previews" limit


@require_GET
@login_required
@never_cache
def fraud_signals_page(request: HttpRequest, slug: str) -> HttpResponse:
    petition = petition_for_staff(request.user, slug, Action.MODERATE)
    signals, reading = read_on_replica(fraud_signals, petition)
    since = timezone.localtime(signals.since).strftime(DATETIME_FORMAT)
    sections = [
        ("addresses", _("Top network addresses (keyed-hash labels)"), "address",
         signals.addresses, False),
        ("subnets", _("Top networks"), "cidr", signals.subnets, True),
        ("domains", _("Top email domains"), "email_domain", signals.domains, False),
        ("countries", _("Top countries"), "country", signals.countries, False),
    ]  # fmt: skip
    context = {"petition": petition, "signals": signals, "sections": sections, "since": since,
               "reading": reading}  # fmt: skip
    return render(request, "moderation/fraud.html", context)


@require_GET
@login_required
@never_cache
def invalidations(request: HttpRequest, slug: str) -> HttpResponse:
    petition = petition_for_staff(request.user, slug, Action.MODERATE)
    names = may(request.user, Action.VIEW_PERSONAL_DATA, petition.case.organisation)
    context = {"petition": petition, "batches": invalidations_of(petition)[:200], "names": names}
    return render(request, "moderation/invalidations.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def new_invalidation(request: HttpRequest, slug: str) -> HttpResponse:
    petition = petition_for_staff(request.user, slug, Action.MODERATE)
    names = may(request.user, Action.VIEW_PERSONAL_DATA, petition.case.organisation)
    if request.method == "GET":
        return _new(request, petition, CriteriaForm(name_criteria=names))
    criteria_form = CriteriaForm(request.POST, name_criteria=names)
    if not criteria_form.is_valid():
        return _new(request, petition, criteria_form, status=422)
    if not preview_allowed(acting_user=request.user):
        return _new(request, petition, criteria_form, status=TOO_MANY)
    criteria = criteria_form.criteria()
    count = count_matching(petition, criteria)
    record_preview(petition, criteria=criteria, count=count, acting_user=request.user)
    fresh = ConfirmForm(initial={"expected_count": count, "reason": request.POST.get("reason")})
    if request.POST.get("step") != "confirm":
        return _new(request, petition, criteria_form, fresh, count)
    confirm = ConfirmForm(request.POST)
    if not confirm.is_valid():
        return _new(request, petition, criteria_form, confirm, count, status=422)
    if confirm.cleaned_data["expected_count"] != count:
        return _new(request, petition, criteria_form, fresh, count, status=CHANGED)
    queue_invalidation(
        petition, criteria=criteria, reason=confirm.cleaned_data["reason"],
        previewed_count=count, acting_user=request.user,
    )  # fmt: skip
    messages.success(request, _("The invalidation is queued; its status is shown below."))
    return see_other(reverse("staff:moderation:invalidations", kwargs={"slug": petition.slug}))


def _new(
    request: HttpRequest, petition: Petition, criteria_form: CriteriaForm,
    confirm: ConfirmForm | None = None, count: int | None = None, status: int = 200,
) -> HttpResponse:  # fmt: skip
    context = {"petition": petition, "form": criteria_form, "confirm": confirm, "count": count,
               "changed": status == CHANGED, "too_many": status == TOO_MANY,
               "previews_per_hour": ratelimit.limit("moderation_previews").at_most}  # fmt: skip
    return render(request, "moderation/invalidation_new.html", context, status=status)


@require_POST
@login_required
def revert(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    petition = petition_for_staff(request.user, slug, Action.MODERATE)
    batch = get_object_or_404(Invalidation, pk=pk, petition=petition)
    if batch.status == InvalidationStatus.APPLIED:
        restored = revert_invalidation(batch, acting_user=request.user)
        messages.success(
            request, _("Reverted: %(n)d signatures are valid again.") % {"n": restored}
        )
    else:
        messages.error(request, _("Only an applied invalidation can be reverted."))
    return see_other(reverse("staff:moderation:invalidations", kwargs={"slug": petition.slug}))


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def held(request: HttpRequest, slug: str) -> HttpResponse:
    petition = petition_for_staff(request.user, slug, Action.MODERATE)
    form = ReleaseForm(request.POST if request.method == "POST" else None)
    context: dict[str, Any] = {"petition": petition, "form": form, "count": None}
    if request.method == "POST" and not form.is_valid():
        context["held"] = held_by_reason(petition)
        return render(request, "moderation/held.html", context, status=422)
    status = 200
    if form.is_bound:
        data = form.cleaned_data
        window = {"created_from": data["created_from"], "created_to": data["created_to"]}
        context["count"] = count = held_signatures(petition, data["reason"], **window).count()
        if request.POST.get("step") == "confirm" and data["expected_count"] == count:
            released = release_held(petition, data["reason"], **window, acting_user=request.user)
            messages.success(request, _("Released %(n)d signatures.") % {"n": released})
            return see_other(reverse("staff:moderation:held", kwargs={"slug": petition.slug}))
        status = CHANGED if request.POST.get("step") == "confirm" else 200
    context.update(held=held_by_reason(petition), changed=status == CHANGED)
    return render(request, "moderation/held.html", context, status=status)
