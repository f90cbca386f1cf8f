"""An email backend that keeps messages in the database (the development outbox)."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend


class OutboxEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        from undersigned.notifications.models import OutboxEmail

        rows = []
        for message in email_messages:
            html = ""
            if isinstance(message, EmailMultiAlternatives):
                html = next(
                    (str(body) for body, mime in message.alternatives if mime == "text/html"), ""
                )
            rows.append(
                OutboxEmail(
                    to=", ".join(message.to),
                    subject=str(message.subject),
                    body_text=str(message.body),
                    body_html=html,
                    headers=dict(message.extra_headers),
                )
            )
        OutboxEmail.objects.bulk_create(rows)
        return len(rows)
