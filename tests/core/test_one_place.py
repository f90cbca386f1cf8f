"""Each rule of the core is written once: these guard that no copy comes back."""

from __future__ import annotations

from pathlib import Path

import pytest

from undersigned.core.honeypot import FIELD_NAME, HoneypotForm
from undersigned.privacy.my_data.forms import MyDataRequestForm
from undersigned.proposals.forms import DraftForm, SponsorForm
from undersigned.signatures.forms import SignForm

PACKAGE = Path(__file__).resolve().parents[2] / "undersigned"


def files_mentioning(text: str) -> set[str]:
    return {
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if "migrations" not in path.parts and text in path.read_text()
    }


@pytest.mark.parametrize(
    ("text", "allowed"),
    [
        ("SITE_URL", {"config/settings.py", "core/site.py"}),  # absolute_url() builds links
        ("salted_hmac", {"core/linktoken.py"}),  # every emailed link's MAC
        ("mailers.default", {"core/outbox.py", "mailings/sending.py"}),  # the send loops
    ],
)
def test_a_rule_lives_in_one_module(text, allowed):
    assert files_mentioning(text) <= allowed


@pytest.mark.parametrize("form", [SignForm, MyDataRequestForm, DraftForm, SponsorForm])
def test_every_public_form_carries_the_one_honeypot(form):
    assert issubclass(form, HoneypotForm)
    assert list(form().fields)[-1] == FIELD_NAME, "rendered last, after the visible fields"
    assert form.base_fields[FIELD_NAME] is HoneypotForm.base_fields[FIELD_NAME], "no own copy"
