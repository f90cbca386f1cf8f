"""The Django admin, as the back office needs it: the members list gains "reset two-factor
sign-in", and every other admin page (Django's own accounts, django-axes, tasks) writes what
it changes to the audit log, so no admin path changes anything unrecorded.

django-otp's device admin is removed: a second factor is removed only by the audited reset.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from undersigned.audit.admin import AuditLogEntryAdmin
from undersigned.audit.models import AuditAction
from undersigned.audit.services import record
from undersigned.campaigns.admin import MembershipAdmin
from undersigned.campaigns.admin_scope import OrganisationScopedAdmin
from undersigned.campaigns.models import Membership
from undersigned.staff import two_factor

admin.site.unregister(TOTPDevice)


@admin.action(description=_("Reset two-factor sign-in of the selected members"))
def reset_two_factor(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Membership]
) -> TemplateResponse | None:
    members = {membership.user for membership in queryset.select_related("user")}
    if request.POST.get("post") != "yes":
        context = {
            **modeladmin.admin_site.each_context(request), "opts": modeladmin.model._meta,
            "title": _("Reset two-factor sign-in?"), "members": sorted(members, key=str),
            "queryset": queryset, "action": "reset_two_factor",
        }  # fmt: skip
        return TemplateResponse(request, "staff/admin_reset_two_factor.html", context)
    done = refused = 0
    for member in members:
        try:
            two_factor.reset_two_factor(member, acting_user=request.user)
            done += 1
        except two_factor.NotAllowed:
            refused += 1
    if done:
        message = ngettext(
            "Two-factor sign-in reset for %(n)d member; they set it up again at their next "
            "sign-in.",
            "Two-factor sign-in reset for %(n)d members; they set it up again at their next "
            "sign-in.",
            done,
        ) % {"n": done}
        modeladmin.message_user(request, message, messages.SUCCESS)
    if refused:
        modeladmin.message_user(
            request,
            _("Not reset for members of organisations you are not an admin of, nor for yourself."),
            messages.WARNING,
        )
    return None


class StaffMembershipAdmin(MembershipAdmin):
    actions = [reset_two_factor]


admin.site.unregister(Membership)
admin.site.register(Membership, StaffMembershipAdmin)


class AuditedAdminMixin(admin.ModelAdmin):
    """For admins this project does not write: their changes and actions go on the log."""

    def log_addition(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        _record(request, obj, "created")
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        _record(request, obj, "changed")
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        for obj in queryset:
            _record(request, obj, "deleted")
        return super().log_deletions(request, queryset)

    def get_actions(
        self, request: HttpRequest, action_location: Any = ActionLocation.CHANGE_LIST
    ) -> dict[str, Any]:
        """Their own actions are recorded after they run (deletions by log_deletions)."""
        actions = super().get_actions(request, action_location=action_location)
        audited: dict[str, Any] = {}
        for name, action in actions.items():
            if action is not None and name != "delete_selected":
                action = replace(action, func=_audited(action.func))
            audited[name] = action
        return audited


def _audited(action: Callable[..., Any]) -> Callable[..., Any]:
    def run(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> Any:
        AxesProxyHandler.update_request(request)  # django-axes' own action reads what this sets
        rows = queryset.count()
        response = action(modeladmin, request, queryset)
        record(
            AuditAction.RECORD_CHANGED, user=request.user,
            subject=f"admin action {getattr(action, '__name__', 'action')} on "
            f"{modeladmin.model._meta.verbose_name_plural}",
            row_count=rows,
        )  # fmt: skip
        return response

    return run


def _record(request: HttpRequest, obj: Model, verb: str) -> None:
    record(
        AuditAction.RECORD_CHANGED, user=request.user,
        subject=f"{obj._meta.verbose_name} #{obj.pk}: {obj}"[:200], detail=verb,
    )  # fmt: skip


def _audit_every_other_admin() -> None:
    for model, model_admin in list(admin.site._registry.items()):
        if isinstance(model_admin, OrganisationScopedAdmin | AuditLogEntryAdmin):
            continue
        audited = type(
            f"Audited{type(model_admin).__name__}", (AuditedAdminMixin, type(model_admin)), {}
        )
        admin.site.unregister(model)
        admin.site.register(model, audited)


_audit_every_other_admin()
