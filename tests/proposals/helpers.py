"""Helpers of the public-petition tests: the feature switched on, proposals in any state."""

from __future__ import annotations

import itertools
import re
from datetime import timedelta
from typing import Any

from django.utils import timezone

from tests.factories import form_token_data
from tests.fixtures.smtp import SmtpSink, text_body
from undersigned.campaigns.models import Organisation
from undersigned.core import linktoken
from undersigned.proposals.emails import send_due_proposal_emails
from undersigned.proposals.models import Proposal
from undersigned.proposals.services import new_slug
from undersigned.proposals.states import ProposalState

_sequence = itertools.count(1)
CREATOR_EMAIL = "creator@example.org"


def make_proposal(
    organisation: Organisation, state: str = ProposalState.GATHERING, **fields: Any
) -> Proposal:
    n = next(_sequence)
    defaults: dict[str, Any] = {
        "slug": new_slug(), "organisation": organisation, "title": f"Free the river {n}",
        "action": "Stop the dam.", "background": "The dam floods three villages.",
        "target": "The Minister of Water", "creator_name": "Cleo Creator",
        "creator_email": CREATOR_EMAIL, "creator_email_normalised": CREATOR_EMAIL,
        "confirmation_key": linktoken.new_key(),
        "confirmation_expires_at": timezone.now() + timedelta(days=7), "state": state,
    }  # fmt: skip
    if state == ProposalState.REJECTED:
        defaults["rejection_reason"] = "duplicate"
    return Proposal.objects.create(**{**defaults, **fields})


def draft_data(**overrides: Any) -> dict[str, str]:
    data = {
        **form_token_data(),
        "title": "Protect the old forest of Bialowieza",
        "action": "Stop all logging in the old forest now.",
        "background": "The forest is one of the last primeval forests of Europe and is protected.",
        "target": "The Minister of the Environment",
        "name": "Cleo Creator",
        "email": CREATOR_EMAIL,
    }
    data.update(overrides)
    return data


def sponsor_data(name: str, email: str) -> dict[str, str]:
    return {**form_token_data(), "name": name, "email": email}


def deliver(sink: SmtpSink) -> list[Any]:
    """Run the sender once; return the messages the sink received in that run."""
    before = len(sink.messages)
    sent = send_due_proposal_emails()
    return sink.wait_for(before + sent)[before:] if sent else []


def link_in(message: Any, path_prefix: str) -> str:
    """The path of the first link in the email's text that starts with `path_prefix`."""
    match = re.search(rf"https?://[^/\s]+({re.escape(path_prefix)}\S+)", text_body(message))
    assert match, f"no {path_prefix} link in: {text_body(message)}"
    return match.group(1)
