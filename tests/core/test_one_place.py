"""Each rule of the core is written once: these guard that no copy comes back."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.conf import settings

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
        ("RATE_LIMITS", {"config/settings.py", "core/ratelimit.py"}),  # the table of limits
        ("_count_hits", {"core/ratelimit.py"}),  # the one way limits are counted
        ("AuditLogEntry.objects.create", {"audit/services.py"}),  # record() is the one writer
        ("ROLE_ACTIONS", {"campaigns/permissions.py"}),  # one module decides every permission
    ],
)
def test_a_rule_lives_in_one_module(text, allowed):
    assert files_mentioning(text) <= allowed


def test_every_row_of_the_table_of_limits_is_used():
    used = "\n".join(
        path.read_text() for path in PACKAGE.rglob("*.py") if path.name != "settings.py"
    )
    assert [name for name in settings.RATE_LIMITS if f'"{name}"' not in used] == []


def test_no_setting_is_read_with_a_second_default_in_code():
    """A setting has its one default in config/settings.py, not another at each reader."""
    readers = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", "") == "getattr"
                and len(node.args) == 3
                and getattr(node.args[0], "id", "") == "settings"
            ):
                readers.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert readers == []


@pytest.mark.parametrize("form", [SignForm, MyDataRequestForm, DraftForm, SponsorForm])
def test_every_public_form_carries_the_one_honeypot(form):
    assert issubclass(form, HoneypotForm)
    assert list(form().fields)[-1] == FIELD_NAME, "rendered last, after the visible fields"
    assert form.base_fields[FIELD_NAME] is HoneypotForm.base_fields[FIELD_NAME], "no own copy"
