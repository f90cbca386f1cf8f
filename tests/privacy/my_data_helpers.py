"""Helpers for the "manage my data" tests: ask for a link, read it from the outbox, open it."""

from __future__ import annotations

import re

from django.core import mail
from django.test import Client

from tests.factories import form_token_data
from undersigned.notifications.models import OutboxEmail
from undersigned.privacy.my_data.emails import send_due_my_data_emails
from undersigned.privacy.my_data.services import COOKIE_NAME

LINK = re.compile(r"https?://[^/\s]+(/my-data/link/[^/\s]+/)")


def ask_for_link(client: Client, email: str):
    return client.post("/my-data/", {**form_token_data(), "email": email})


def emails_to(email: str) -> list[str]:
    """The text of the emails sent to `email` so far: tests keep them in
    django.core.mail.outbox, or in the dev outbox table where a test switched to it."""
    kept = OutboxEmail.objects.filter(to__iexact=email).order_by("id")
    sent = [str(message.body) for message in mail.outbox if message.to[0].lower() == email.lower()]
    return sent + [row.body_text for row in kept]


def emailed_link(email: str) -> str | None:
    """Send what is owed; the link in the newest email to `email`, or None if it has none."""
    send_due_my_data_emails()
    sent = emails_to(email)
    assert sent, "an email was sent"
    match = LINK.search(sent[-1])
    return match.group(1) if match else None


def open_my_data(client: Client, email: str) -> str:
    """Ask for a link, open it: the client then holds a session cookie. Returns the link."""
    ask_for_link(client, email)
    link = emailed_link(email)
    assert link is not None
    response = client.post(link, form_token_data())
    assert response.status_code == 303, response.status_code
    assert COOKIE_NAME in response.cookies
    return link
