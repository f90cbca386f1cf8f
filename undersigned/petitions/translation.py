from modeltranslation.translator import TranslationOptions, register

from undersigned.petitions.models import Petition


@register(Petition)
class PetitionTranslation(TranslationOptions):
    fields = ("title", "target", "demand")
