from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from undersigned.campaigns.admin_scope import OrganisationScopedAdmin
from undersigned.campaigns.permissions import Action, may
from undersigned.signatures import services
from undersigned.signatures.models import Signature


@admin.register(Signature)
class SignatureAdmin(OrganisationScopedAdmin):
    """Signatures of one's own organisations, for data officers: read-only, with invalidation.

    Lists pending signatures whose email could not be sent (filter "email undeliverable").
    """

    organisation_path = "petition__case__organisation"
    view_action = Action.VIEW_PERSONAL_DATA
    change_action = Action.INVALIDATE_SIGNATURES
    list_display = ["id", "petition", "country", "created_at", "confirmed_at", "email_failed_at"]
    list_filter = [
        "petition",
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
    def invalidate(self, request: HttpRequest, queryset: QuerySet[Signature]) -> None:
        invalidated = 0
        for petition_id in queryset.values_list("petition_id", flat=True).distinct():
            petition = queryset.filter(petition_id=petition_id).first().petition  # type: ignore[union-attr]
            if may(request.user, Action.INVALIDATE_SIGNATURES, petition.case.organisation):
                ids = list(queryset.filter(petition_id=petition_id).values_list("id", flat=True))
                invalidated += services.invalidate_signatures(petition, ids)
        message = ngettext(
            "%(count)d signature invalidated.", "%(count)d signatures invalidated.", invalidated
        ) % {"count": invalidated}
        self.message_user(request, message, messages.SUCCESS)
