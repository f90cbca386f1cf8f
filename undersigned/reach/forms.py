"""The back office's reach forms: a tracked link's code and label."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from undersigned.petitions.models import TrackedLink
from undersigned.signatures.sources import BUILT_IN, OTHER

CODE_MAX_LENGTH = 32
LABEL_MAX_LENGTH = 100


class TrackedLinkForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=CODE_MAX_LENGTH,
        help_text=_(
            "Lower-case letters, digits and hyphens, for example “street-team” or “newsletter-dec”."
            " The link will be /p/ and the code."
        ),
        validators=[
            RegexValidator(
                r"^[a-z0-9][a-z0-9-]*$",
                _(
                    "Use lower-case letters, digits and hyphens only, starting with a letter or"
                    " digit."
                ),
            )
        ],
        error_messages={
            "required": _("Enter a code for the link."),
            "max_length": _("Keep the code to 32 characters or fewer."),
            "null_characters_not_allowed": _("The code contains invisible control characters."),
        },
    )
    label = forms.CharField(
        label=_("What it is for"),
        required=False,
        max_length=LABEL_MAX_LENGTH,
        help_text=_("Only staff see this, for example “Flyers at the march on 12 May”."),
        error_messages={
            "max_length": _("Keep the description to 100 characters or fewer."),
            "null_characters_not_allowed": _(
                "The description contains invisible control characters."
            ),
        },
    )

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        if code in BUILT_IN or code == OTHER:
            raise forms.ValidationError(
                _("This code is kept for the site's own use; choose another.")
            )
        if TrackedLink.objects.filter(code=code).exists():
            raise forms.ValidationError(_("A link with this code exists already; choose another."))
        return code
