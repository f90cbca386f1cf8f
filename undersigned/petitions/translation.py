from modeltranslation.translator import TranslationOptions, register

from undersigned.petitions.models import Milestone, Petition, PetitionResponse


@register(Petition)
class PetitionTranslation(TranslationOptions):
    fields = ("title", "target", "demand")


@register(Milestone)
class MilestoneTranslation(TranslationOptions):
    fields = ("note", "email_subject", "email_body")


@register(PetitionResponse)
class PetitionResponseTranslation(TranslationOptions):
    fields = ("body",)
