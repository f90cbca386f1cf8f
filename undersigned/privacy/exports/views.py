"""Staff pages for exports, the delivery document, deliveries and the audit log.

Views parse and render; who may do what is decided in campaigns/permissions.py (through
petitions.selectors.petition_for_staff, may_see_names and organisations_of), the work in
csv_files.py, delivery_pdf.py and the services.
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from undersigned.audit.models import AuditAction
from undersigned.campaigns.permissions import Action, may, organisations_of, require
from undersigned.core.http import see_other
from undersigned.petitions.selectors import petition_for_staff
from undersigned.petitions.services import record_delivery
from undersigned.privacy.exports import csv_files as exports
from undersigned.privacy.exports import delivery_pdf as pdf
from undersigned.privacy.exports.forms import DeliveryForm
from undersigned.privacy.exports.selectors import audit_log_for, deliveries_of, may_see_names

AUDIT_LOG_PAGE_SIZE = 100
PART_NUMBER = re.compile(r"[0-9]{1,6}")  # delivery.pdf?names=1&part=N


def _as_download(response: HttpResponse | StreamingHttpResponse, filename: str) -> None:
    response["Content-Disposition"] = content_disposition_header(True, filename)
    add_never_cache_headers(response)
    patch_cache_control(response, no_store=True, private=True)


@require_GET
@login_required
@never_cache
def exports_page(request: HttpRequest, slug: str) -> HttpResponse:
    petition = petition_for_staff(request.user, slug, Action.VIEW_NUMBERS)
    organisation = petition.case.organisation
    can_deliver = may(request.user, Action.RECORD_DELIVERY, organisation)
    context = {
        "petition": petition,
        "can_see_names": may_see_names(request.user, organisation),
        "can_export_email": may(request.user, Action.EXPORT_PERSONAL_DATA, organisation),
        "can_deliver": can_deliver,
        "name_parts": range(1, pdf.name_parts(petition) + 1) if can_deliver else range(0),
    }
    return render(request, "privacy/exports.html", context)


@require_GET
@login_required
def export_signatures(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    petition = petition_for_staff(request.user, slug, Action.VIEW_NUMBERS)
    organisation = petition.case.organisation
    if not may_see_names(request.user, organisation):
        raise PermissionDenied("Your role may not see signers' names.")
    with_email = request.GET.get("with_email") == "1"
    if with_email:
        require(request.user, Action.EXPORT_PERSONAL_DATA, organisation)
    return _csv_response(exports.signatures_csv(petition, request.user, with_email=with_email))


@require_GET
@login_required
def export_countries_by_day(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    petition = petition_for_staff(request.user, slug, Action.VIEW_NUMBERS)
    return _csv_response(exports.countries_by_day_csv(petition, request.user))


def _csv_response(export: exports.CsvExport) -> StreamingHttpResponse:
    response = StreamingHttpResponse(export.chunks, content_type="text/csv; charset=utf-8")
    _as_download(response, export.filename)
    return response


@require_GET
@login_required
def delivery_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    petition = petition_for_staff(request.user, slug, Action.RECORD_DELIVERY)
    names_part = None
    if request.GET.get("names") == "1":
        if not may_see_names(request.user, petition.case.organisation):
            raise PermissionDenied("Your role may not see signers' names.")
        names_part = _names_part(request.GET.get("part", "1"))
    try:
        document = pdf.delivery_pdf(petition, request.user, names_part=names_part)
    except pdf.NoSuchPart:
        raise Http404("No such part") from None
    response = HttpResponse(document.content, content_type="application/pdf")
    _as_download(response, document.filename)
    return response


def _names_part(value: str) -> int:
    """The part number asked for: ASCII digits only, a few of them. str.isdigit() also takes
    "²" or "①", which int() refuses, and int() refuses thousands of digits too."""
    if not PART_NUMBER.fullmatch(value):
        raise Http404("No such part")
    return int(value)


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def deliveries(request: HttpRequest, slug: str) -> HttpResponse:
    petition = petition_for_staff(request.user, slug, Action.RECORD_DELIVERY)
    form = DeliveryForm(request.POST or None, request.FILES or None, petition=petition)
    if request.method == "POST" and form.is_valid():
        record_delivery(petition, acting_user=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        messages.success(request, _("The delivery is recorded and shown on the petition page."))
        return see_other(reverse("staff:privacy:deliveries", kwargs={"slug": petition.slug}))
    status = 422 if request.method == "POST" else 200
    context = {"petition": petition, "deliveries": deliveries_of(petition), "form": form}
    return render(request, "privacy/deliveries.html", context, status=status)


@require_GET
@login_required
@never_cache
def audit_log(request: HttpRequest) -> HttpResponse:
    if not organisations_of(request.user, Action.VIEW_AUDIT_LOG).exists():
        raise PermissionDenied("Only administrators of an organisation see its audit log.")
    action = request.GET.get("action", "")
    unknown_action = action not in AuditAction.values and action != ""
    if unknown_action:
        action = ""  # a hand-edited address: show everything and say so
    entries = audit_log_for(request.user, action=action)
    page = Paginator(entries, AUDIT_LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "actions": AuditAction.choices,
        "action": action,
        "unknown_action": unknown_action,
    }
    return render(request, "privacy/audit_log.html", context)
