"""Composing emails: every email the platform sends is rendered here, in the reader's language."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from undersigned.core.site import absolute_url
from undersigned.notifications.models import OutboxEmail


def compose_email(
    template: str, context: dict[str, Any], *, to: str, language: str
) -> EmailMultiAlternatives:
    """Render `<template>_subject.txt`, `.txt` and `.html` under notifications/email/."""
    # Every email can point the reader to their own data (privacy app's /my-data/ page).
    context = {"my_data_url": absolute_url("privacy_public:my_data"), **context}
    with translation.override(language):
        base = f"notifications/email/{template}"
        subject = " ".join(render_to_string(f"{base}_subject.txt", context).split())
        text = render_to_string(f"{base}.txt", context)
        html = render_to_string(f"{base}.html", context)
    message = EmailMultiAlternatives(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[to]
    )
    message.attach_alternative(html, "text/html")
    return message


def forget_dev_outbox_emails(domains: set[str], is_recipient: Callable[[str], bool]) -> int:
    """Delete kept emails (the development outbox) sent to an address at one of `domains`
    for which `is_recipient(address)` holds; returns how many were deleted."""
    candidates = OutboxEmail.objects.none()
    for domain in sorted(domains):
        candidates |= OutboxEmail.objects.filter(to__iendswith=f"@{domain}")
    ids = [
        row_id
        for row_id, to in candidates.values_list("id", "to")
        if any(is_recipient(one) for one in to.split(", "))
    ]
    return OutboxEmail.objects.filter(id__in=ids).delete()[0]
