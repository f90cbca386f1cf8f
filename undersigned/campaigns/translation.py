from modeltranslation.translator import TranslationOptions, register

from undersigned.campaigns.models import Case, TimelineEntry, Update


@register(Case)
class CaseTranslation(TranslationOptions):
    fields = ("title", "summary", "story", "status_line", "photo_alt")


@register(TimelineEntry)
class TimelineEntryTranslation(TranslationOptions):
    fields = ("title", "body")


@register(Update)
class UpdateTranslation(TranslationOptions):
    fields = ("title", "body")
