"""Signatures in the Django admin, for data officers and moderators: read-only, and
invalidated only the moderators' way — previewed on a confirmation page, queued as an
Invalidation (reversible on the petition's invalidations page), audited by the service."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from undersigned.campaigns.admin_scope import OrganisationScopedAdmin, ScopedRelatedFieldListFilter
from undersigned.campaigns.permissions import Action, may
from undersigned.moderation.forms import ConfirmForm
from undersigned.moderation.services import queue_invalidation
from undersigned.petitions.models import Petition
from undersigned.signatures.invalidation import SIGNATURE_IDS
from undersigned.signatures.models import Signature
from undersigned.signatures.querysets import SignatureQuerySet


@admin.register(Signature)
class SignatureAdmin(OrganisationScopedAdmin):
    """Signatures of one's own organisations: read-only, with invalidation.

    Lists pending signatures whose email could not be sent (filter "email undeliverable").
    """

    organisation_path = "petition__case__organisation"
    view_action = Action.VIEW_PERSONAL_DATA
    change_action = Action.INVALIDATE_SIGNATURES
    list_display = [
        "id", "petition", "country", "created_at", "confirmed_at", "email_failed_at",
        "email_failure",
    ]  # fmt: skip
    list_filter = [
        ("petition", ScopedRelatedFieldListFilter),
        ("email_failed_at", admin.EmptyFieldListFilter),
        ("confirmed_at", admin.EmptyFieldListFilter),
        ("invalidated_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["email_normalised"]
    readonly_fields = [f.name for f in Signature._meta.fields if f.name != "confirmation_key"]
    exclude = ["confirmation_key"]
    show_full_result_count = False
    actions = ["invalidate"]

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False  # invalidate instead: the count and the audit trail stay right

    @admin.action(description=_("Invalidate the selected signatures (fraud)"))
    def invalidate(
        self, request: HttpRequest, queryset: SignatureQuerySet
    ) -> TemplateResponse | None:
        chosen = _by_petition(request, queryset.valid())
        count = sum(len(ids) for ids in chosen.values())
        form = ConfirmForm(request.POST if "post" in request.POST else None)
        if form.is_bound and form.is_valid() and form.cleaned_data["expected_count"] == count:
            for petition, ids in chosen.items():
                queue_invalidation(
                    petition, criteria={SIGNATURE_IDS: ids}, reason=form.cleaned_data["reason"],
                    previewed_count=len(ids), acting_user=request.user,
                )  # fmt: skip
            message = ngettext(
                "%(count)d signature queued for invalidation; it can be reverted on the "
                "petition's invalidations page.",
                "%(count)d signatures queued for invalidation; they can be reverted on the "
                "petition's invalidations page.",
                count,
            ) % {"count": count}
            self.message_user(request, message, messages.SUCCESS)
            return None
        if form.is_bound and form.is_valid():  # the selection changed since the preview
            self.message_user(
                request, _("The number of valid signatures changed; check it again."),
                messages.WARNING,
            )  # fmt: skip
        if not form.is_bound or form.is_valid():
            form = ConfirmForm(
                initial={"expected_count": count, "reason": request.POST.get("reason")}
            )
        context = {
            **self.admin_site.each_context(request), "title": _("Invalidate signatures?"),
            "opts": self.model._meta, "queryset": queryset, "form": form, "count": count,
            "petitions": [(petition, len(ids)) for petition, ids in chosen.items()],
            "action": "invalidate",
        }  # fmt: skip
        return TemplateResponse(request, "moderation/admin_invalidate_confirm.html", context)


def _by_petition(request: HttpRequest, queryset: QuerySet[Signature]) -> dict[Petition, list[int]]:
    """The chosen signatures' ids per petition, for the petitions the user may invalidate on."""
    chosen: dict[Petition, list[int]] = {}
    ids_by_petition: dict[int, list[int]] = {}
    for pk, petition_id in queryset.values_list("pk", "petition_id"):
        ids_by_petition.setdefault(petition_id, []).append(pk)
    petitions = Petition.objects.select_related("case__organisation").filter(pk__in=ids_by_petition)
    for petition in petitions:
        if may(request.user, Action.INVALIDATE_SIGNATURES, petition.case.organisation):
            chosen[petition] = sorted(ids_by_petition[petition.pk])
    return chosen
