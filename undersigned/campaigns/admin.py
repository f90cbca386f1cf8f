from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

from undersigned.campaigns.admin_scope import OrganisationScopedAdmin
from undersigned.campaigns.models import Case, Membership, Organisation, TimelineEntry, Update
from undersigned.campaigns.permissions import Action, accounts_in, organisations_of
from undersigned.core.photos import PhotoField

admin.site.site_header = _("Undersigned back office")
admin.site.site_title = _("Undersigned")
admin.site.index_title = _("Edit cases, timelines, petitions and updates")


def _member_of_any_organisation(request: HttpRequest) -> bool:
    """Staff reach the admin through a membership, not Django's is_staff flag."""
    user = request.user
    if not user.is_active:
        return False
    return bool(user.is_superuser or Membership.objects.filter(user_id=user.pk).exists())


admin.site.has_permission = _member_of_any_organisation  # type: ignore[method-assign]


@admin.register(Organisation)
class OrganisationAdmin(OrganisationScopedAdmin):
    organisation_path = "pk"
    view_action = change_action = Action.MANAGE_MEMBERS
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def organisation_of(self, obj: Any) -> Organisation:
        return obj

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return Organisation.objects.filter(pk__in=organisations_of(request.user, self.view_action))

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser  # new organisations are set up by the operator


@admin.register(Membership)
class MembershipAdmin(OrganisationScopedAdmin):
    """An organisation's members and roles. The account chooser offers only accounts that are
    already members of an organisation the admin manages: naming every account of the
    installation would tell one organisation who works for the others. The operator (a
    superuser, who sees every account) attaches an account to its first organisation."""

    view_action = change_action = Action.MANAGE_MEMBERS
    list_display = ["user", "organisation", "role"]
    list_filter = ["role"]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "user" and not request.user.is_superuser:
            kwargs["queryset"] = accounts_in(organisations_of(request.user, self.change_action))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class TimelineEntryInline(TranslationTabularInline):
    model = TimelineEntry
    extra = 0
    fields = ["date", "precision", "title", "body", "source_url"]


@admin.register(Case)
class CaseAdmin(OrganisationScopedAdmin, TabbedTranslationAdmin):
    # The photo is checked and re-encoded like a delivery photo (core/photos.py): no EXIF,
    # nothing after the image, a random name whose extension is the format.
    formfield_overrides = {models.ImageField: {"form_class": PhotoField}}
    list_display = ["title", "organisation", "is_published", "updated_at"]
    list_filter = ["is_published"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [TimelineEntryInline]
    fieldsets = [
        (None, {"fields": ["organisation", "title", "slug", "summary", "status_line"]}),
        (
            _("Story"),
            {
                "fields": ["story"],
                "description": _("Write in Markdown: **bold**, [link](https://…), lists."),
            },
        ),
        (_("Photo"), {"fields": ["photo", "photo_alt"]}),
        (_("Publishing"), {"fields": ["is_published"]}),
    ]


@admin.register(Update)
class UpdateAdmin(OrganisationScopedAdmin, TabbedTranslationAdmin):
    organisation_path = "case__organisation"
    list_display = ["title", "case", "published_on"]
