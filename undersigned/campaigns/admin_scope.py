"""Admin pages that show each staff member only their own organisations' records.

The Django admin is our plain record editor. These mixins route every admin permission
question to permissions.py, so the admin, the staff pages and the API decide alike, and put
the settings changes made here (organisations, cases, petitions) on the audit log.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse

from undersigned.audit.context import acting_as
from undersigned.audit.models import AuditAction
from undersigned.campaigns.audit_trail import describe_change, record_settings_change
from undersigned.campaigns.models import Organisation
from undersigned.campaigns.permissions import Action, may, organisations_of

# Models whose admin changes are "settings" on the audit log (Petition includes its retention
# policy). Roles (Membership) are recorded by model signals, whatever path changes them.
SETTINGS_MODELS = frozenset({"campaigns.organisation", "campaigns.case", "petitions.petition"})
RECORDED_BY_SIGNALS = frozenset({"campaigns.membership"})


class OrganisationScopedAdmin(admin.ModelAdmin):
    """Subclasses name the path from their model to its organisation and the action needed."""

    organisation_path: str = "organisation"
    view_action: Action = Action.EDIT_CONTENT
    change_action: Action = Action.EDIT_CONTENT

    def organisation_of(self, obj: Model) -> Organisation:
        target: Any = obj
        for part in self.organisation_path.split("__"):
            target = getattr(target, part)
        return target

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        allowed = organisations_of(request.user, self.view_action)
        return super().get_queryset(request).filter(**{f"{self.organisation_path}__in": allowed})

    def _may(self, request: HttpRequest, action: Action, obj: Model | None) -> bool:
        if obj is None:
            return organisations_of(request.user, action).exists()
        return may(request.user, action, self.organisation_of(obj))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._may(request, self.view_action, None)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._may(request, self.view_action, obj)

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._may(request, self.change_action, None)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._may(request, self.change_action, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._may(request, self.change_action, obj)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        """Offer only the user's own organisations (and their cases) in drop-downs."""
        allowed = organisations_of(request.user, self.change_action)
        model = db_field.related_model
        if model is Organisation:
            kwargs["queryset"] = allowed
        elif hasattr(model, "organisation"):
            kwargs["queryset"] = model._default_manager.filter(organisation__in=allowed)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # -- the audit log ----------------------------------------------------------------------
    # Every view that writes runs "acting as" the signed-in user, so entries written by model
    # signals (role changes) name who did it.

    def changeform_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with acting_as(request.user):
            return super().changeform_view(request, *args, **kwargs)

    def changelist_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with acting_as(request.user):
            return super().changelist_view(request, *args, **kwargs)

    def delete_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with acting_as(request.user):
            return super().delete_view(request, *args, **kwargs)

    def log_addition(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        logged = super().log_addition(request, obj, message)
        self._record_setting(request, obj, "created")
        return logged

    def log_change(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        logged = super().log_change(request, obj, message)
        if detail := describe_change(message):  # "no fields changed" is not a change
            self._record_setting(request, obj, detail)
        return logged

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        for obj in queryset:  # called before the deletion: the objects are still there
            self._record_setting(request, obj, "deleted")
        return super().log_deletions(request, queryset)

    def _record_setting(self, request: HttpRequest, obj: Model, detail: str) -> None:
        """Settings changes as such; any other record's change (an update, a timeline) as a
        content change. Roles are left to the model signals, which see every path."""
        label = obj._meta.label_lower
        if label in RECORDED_BY_SIGNALS:
            return
        is_petition = label == "petitions.petition"
        record_settings_change(
            request.user,
            obj,
            organisation_id=self.organisation_of(obj).pk,
            petition_id=obj.pk if is_petition else None,
            detail=detail,
            action=AuditAction.SETTINGS_CHANGED
            if label in SETTINGS_MODELS
            else AuditAction.RECORD_CHANGED,
        )


class ScopedRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """A "By petition" (or by case…) filter that lists only the user's own organisations'
    objects: Django's own lists every row of the related table, drafts of other
    organisations included. Use as `("petition", ScopedRelatedFieldListFilter)` on an
    OrganisationScopedAdmin whose organisation_path runs through that field."""

    def field_choices(self, field: Any, request: HttpRequest, model_admin: Any) -> list:
        prefix = f"{field.name}__"
        if not model_admin.organisation_path.startswith(prefix):
            raise ImproperlyConfigured(f"{model_admin}: organisation_path must run via {prefix}")
        path = model_admin.organisation_path.removeprefix(prefix)
        allowed = organisations_of(request.user, model_admin.view_action)
        related = field.related_model._default_manager.filter(**{f"{path}__in": allowed})
        ordering = self.field_admin_ordering(field, request, model_admin)
        return [(obj.pk, str(obj)) for obj in related.order_by(*ordering)]
