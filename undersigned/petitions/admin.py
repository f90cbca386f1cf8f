from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin

from undersigned.petitions.models import Petition


@admin.register(Petition)
class PetitionAdmin(TabbedTranslationAdmin):
    list_display = ["title", "case", "status", "goal", "opens_at", "closes_at"]
    list_filter = ["status"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
