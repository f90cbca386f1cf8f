from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

from undersigned.campaigns.models import Case, Organisation, TimelineEntry, Update


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class TimelineEntryInline(TranslationTabularInline):
    model = TimelineEntry
    extra = 0
    fields = ["date", "precision", "title", "body", "source_url"]


@admin.register(Case)
class CaseAdmin(TabbedTranslationAdmin):
    list_display = ["title", "organisation", "is_published", "updated_at"]
    list_filter = ["is_published", "organisation"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [TimelineEntryInline]


@admin.register(Update)
class UpdateAdmin(TabbedTranslationAdmin):
    list_display = ["title", "case", "published_on"]
    list_filter = ["case"]
