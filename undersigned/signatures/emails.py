"""The signature outbox: confirmation links and "already signed" notices.

Each signature row is its own outbox entry (`email_due`); core/outbox.py leases, sends, marks
sent and backs off, one row at a time. A row given up on keeps `email_due` (it is flagged for
staff through `email_failed_at`, never silently dropped).
"""

from __future__ import annotations

from datetime import datetime

from django.core.mail import EmailMultiAlternatives
from django.db.models import Q, QuerySet

from undersigned.core import linktoken, outbox
from undersigned.core.site import absolute_url
from undersigned.notifications.services import compose_email
from undersigned.signatures.models import EmailDue, Signature
from undersigned.signatures.receipts import receipt_for
from undersigned.signatures.reminders import owe_requested_reminders


class SignatureEmails(outbox.Outbox):
    name = "signature emails"
    key = "signature"
    kind_field = "email_due"
    model = Signature
    batch_size = 200
    related = ("petition",)
    sent_values = {"email_due": EmailDue.NONE, "email_attempts": 0}

    def owed(self) -> QuerySet[Signature]:
        return Signature.objects.filter(~Q(email_due=EmailDue.NONE))

    def message_for(self, row: Signature, lease_until: datetime) -> EmailMultiAlternatives:
        return _message_for(row)


def send_due_emails(time_budget_s: float = 30.0) -> int:
    """Owe the reminders asked for by signing again (reminders.py), then send what is owed."""
    owe_requested_reminders()
    return SignatureEmails().send_due(time_budget_s)


def _message_for(signature: Signature) -> EmailMultiAlternatives:
    petition = signature.petition
    token = linktoken.token_for(linktoken.Kind.SIGNATURE_CONFIRMATION, signature.confirmation_key)
    context = {
        "name": signature.name,
        "petition": petition,  # its translated fields resolve in the signer's language
        "petition_url": absolute_url("signatures:petition", slug=petition.slug),
        "confirm_url": absolute_url("signatures:confirm", token=token),
        "expires_at": signature.confirmation_expires_at,
        "receipt": receipt_for(signature),
    }
    template = (
        "confirm_signature" if signature.email_due == EmailDue.CONFIRMATION else "already_signed"
    )
    return compose_email(template, context, to=signature.email, language=signature.language)
