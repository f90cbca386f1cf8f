"""Helpers for the mailing tests: signers in every state, and reading what the sink got."""

from __future__ import annotations

import itertools
import re
from email.header import decode_header, make_header
from email.message import Message
from typing import Any

from tests.fixtures.smtp import text_body
from undersigned.signatures.normalise import normalise_email

_sequence = itertools.count(1)


def subject_of(message: Message) -> str:
    return str(make_header(decode_header(str(message["Subject"]))))


def recipients_of(messages: list[Message]) -> list[str]:
    return sorted(normalise_email(str(message["To"])) for message in messages)


def unsubscribe_path(message: Message) -> str:
    found = re.search(r"https?://[^/\s]+(/unsubscribe/[^/\s]+/)", text_body(message))
    assert found, "the email carries an unsubscribe link"
    return found.group(1)


def send_whole_mailing(mailing: Any, max_runs: int = 20) -> int:
    """Run a mailing's chain in this process (as the worker would), until it stops."""
    from undersigned.mailings.sending import send_mailing_run

    runner, sent = mailing.runner, 0
    for _ in range(max_runs):
        result = send_mailing_run(mailing.pk, runner)
        sent += result.sent
        if result.next_run_at is None:
            return sent
        runner = result.runner
    raise AssertionError("the mailing did not finish")
