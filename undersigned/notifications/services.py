"""Composing emails: every email the platform sends is rendered here, in the reader's language."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def compose_email(
    template: str, context: dict[str, Any], *, to: str, language: str
) -> EmailMultiAlternatives:
    """Render `<template>_subject.txt`, `.txt` and `.html` under notifications/email/."""
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
