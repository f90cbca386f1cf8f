"""Telling an organisation's admins that the worker disabled one of its webhooks.

One DisabledNotice row per admin, sent by core/outbox.py (leased, retried, never dropped) in
the site's language, through notifications' compose_email; the address is read from the
account when sending.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

from undersigned.audit.models import AuditAction
from undersigned.audit.services import record
from undersigned.campaigns.models import Membership, Role
from undersigned.core import outbox
from undersigned.core.site import absolute_url
from undersigned.notifications.services import compose_email
from undersigned.webhooks.models import DisabledNotice, DisabledReason, Endpoint


def endpoint_disabled(endpoint: Endpoint) -> int:
    """Audit the worker's decision and owe each admin an email; returns how many."""
    record(
        AuditAction.WEBHOOK_DISABLED, organisation_id=endpoint.organisation_id,
        subject=f"webhook #{endpoint.pk}: {endpoint.name}",
        detail=f"by the worker: {endpoint.disabled_reason}",
    )  # fmt: skip
    admins = (
        Membership.objects.filter(organisation_id=endpoint.organisation_id, role=Role.ADMIN)
        .exclude(user__email="")
        .values_list("user_id", flat=True)
    )
    now = timezone.now()
    rows = [DisabledNotice(endpoint=endpoint, user_id=user_id, next_attempt_at=now)
            for user_id in admins]  # fmt: skip
    DisabledNotice.objects.bulk_create(rows)
    return len(rows)


class DisabledNotices(outbox.Outbox):
    name = "webhook notices"
    key = "webhook_notice"
    model = DisabledNotice
    related = ("endpoint", "endpoint__organisation", "user")
    due_field, attempts_field, sent_field = "next_attempt_at", "attempts", "sent_at"
    failed_field, failure_field = "failed_at", "failure"

    def message_for(self, row: DisabledNotice, lease_until: datetime) -> EmailMultiAlternatives:
        endpoint = row.endpoint
        context = {
            "endpoint": endpoint,
            "gone": endpoint.disabled_reason == DisabledReason.GONE,
            "hours": settings.WEBHOOK_DISABLE_AFTER_HOURS,
            "endpoint_url": absolute_url(
                "staff:webhooks:endpoint",
                organisation=endpoint.organisation.slug, endpoint_id=str(endpoint.pk),
            ),
        }  # fmt: skip
        return compose_email(
            "webhook_disabled", context, to=row.user.email, language=settings.LANGUAGE_CODE
        )


def send_due_notices(time_budget_s: float = 10.0) -> int:
    return DisabledNotices().send_due(time_budget_s)
