from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from undersigned.staff.two_factor import Outcome

REFUSALS = {
    Outcome.WRONG_CODE: _(
        "That code is wrong. Enter the code your authenticator app shows now (a new one "
        "comes every 30 seconds)."
    ),
    Outcome.REPLAYED: _(
        "That code has been used already: each code works once. Wait for the next code your "
        "authenticator app shows (a new one comes every 30 seconds)."
    ),
    Outcome.THROTTLED: _("Too soon after a wrong code. Wait a few seconds, then try again."),
    Outcome.UNKNOWN_RECOVERY_CODE: _(
        "That is not one of your recovery codes. Check it, or enter the code from your app."
    ),
    Outcome.RECOVERY_CODE_USED: _(
        "That recovery code has been used already: each works once. Use another one."
    ),
    Outcome.NO_DEVICE: _("Start again: the authenticator app set-up had expired."),
}


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        strip=True,
        error_messages={
            "required": _("Enter the code."),
            "max_length": _("A code is at most 40 characters long."),
        },
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "spellcheck": "false"}),
    )

    def refuse(self, outcome: Outcome) -> None:
        self.add_error("code", REFUSALS[outcome])
