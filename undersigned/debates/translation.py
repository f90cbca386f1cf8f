from modeltranslation.translator import TranslationOptions, register

from undersigned.debates.models import Debate


@register(Debate)
class DebateTranslation(TranslationOptions):
    fields = ("question", "introduction")  # the conclusion is written once, at closing
