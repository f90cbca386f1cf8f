"""The honeypot every public form carries: a field people never see, which bots that fill
every input fill too. web/_public_form_fields.html renders it hidden (aria-hidden, off the
keyboard's path); a form with it filled is answered as usual and its data thrown away."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

FIELD_NAME = "website"
MAX_LENGTH = 200


class HoneypotForm(forms.Form):
    """Mix into a public form (first among its bases); the view asks `form.is_bot`."""

    website = forms.CharField(required=False, max_length=MAX_LENGTH, label=_("Leave this empty"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[FIELD_NAME] = self.fields.pop(FIELD_NAME)  # rendered last, as before

    @property
    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get(FIELD_NAME))
