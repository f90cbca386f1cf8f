from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from undersigned.campaigns.admin_scope import OrganisationScopedAdmin
from undersigned.petitions import services
from undersigned.petitions.models import Petition


class PetitionForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Offered in"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "The public page links to these languages. A text left empty in a language "
            "shows the English one instead."
        ),
    )

    class Meta:
        model = Petition
        fields = ["languages"]  # the admin adds the fieldsets' fields

    def clean_languages(self) -> list[str]:
        chosen = self.cleaned_data["languages"]
        return list(dict.fromkeys([settings.LANGUAGE_CODE, *chosen]))


@admin.register(Petition)
class PetitionAdmin(OrganisationScopedAdmin, TabbedTranslationAdmin):
    form = PetitionForm
    organisation_path = "case__organisation"
    list_display = ["title", "case", "status", "goal", "opens_at", "closes_at", "preview_link"]
    list_filter = ["status"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    actions = ["publish", "close"]
    fieldsets = [
        (None, {"fields": ["case", "title", "slug", "target", "demand", "goal", "languages"]}),
        (_("Dates"), {"fields": ["opens_at", "closes_at"]}),
        (
            _("Signers' personal data"),
            {
                "fields": ["retention_policy", "retention_months"],
                "description": _(
                    "When names, email addresses and network data are anonymised; country "
                    "and dates stay, so counts do not change. The months apply only to the "
                    "first policy. The retention page shows what the next run will do."
                ),
            },
        ),
        (
            _("Status"),
            {
                "fields": ["status"],
                "description": _("Drafts are visible only to staff (use Preview)."),
            },
        ),
    ]

    def save_model(self, request: HttpRequest, obj: Petition, form: Any, change: bool) -> None:
        services.settle_closing_date(obj)  # closed by its status alone: dated now
        super().save_model(request, obj, form, change)
        services.forget_cached_petition(obj.slug)  # its public page renews at once

    @admin.display(description=_("Preview"))
    def preview_link(self, petition: Petition) -> str:
        url = reverse("staff:preview", kwargs={"slug": petition.slug})
        return format_html('<a href="{}">{}</a>', url, _("Preview"))

    @admin.action(description=_("Publish the selected petitions (open for signatures)"))
    def publish(self, request: HttpRequest, queryset: QuerySet[Petition]) -> None:
        for petition in queryset:
            services.publish_petition(petition, acting_user=request.user)
        self.message_user(request, _("Published."), messages.SUCCESS)

    @admin.action(description=_("Close the selected petitions (no more signatures)"))
    def close(self, request: HttpRequest, queryset: QuerySet[Petition]) -> None:
        for petition in queryset:
            services.close_petition(petition, acting_user=request.user)
        self.message_user(request, _("Closed."), messages.SUCCESS)
