"""What admins do with their organisation's webhooks; each change is audited.

Who may is decided by campaigns/permissions.py (Action.MANAGE_WEBHOOKS: admins); the views
ask it before calling these. The secret is returned by `create_endpoint` and `rotate_secret`
only, for the page that shows it once; it is never in the audit log, a URL or a log line.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from undersigned.audit.models import AuditAction
from undersigned.audit.services import record
from undersigned.campaigns.models import Organisation
from undersigned.webhooks import signing
from undersigned.webhooks.models import Delivery, DisabledReason, Endpoint, Event, EventType

PREVIOUS_SECRET_DAYS = 1  # the old secret still signs this long after a rotation


def _record(action: AuditAction, endpoint: Endpoint, acting_user: Any, detail: str = "") -> None:
    record(
        action, user=acting_user, organisation_id=endpoint.organisation_id,
        subject=f"webhook #{endpoint.pk}: {endpoint.name}", detail=detail,
    )  # fmt: skip


def _settings_detail(endpoint: Endpoint) -> str:
    personal = "with personal data" if endpoint.personal_data else "without personal data"
    return f"{endpoint.url} · {', '.join(endpoint.events)} · {personal}"


def create_endpoint(
    organisation: Organisation, *, name: str, url: str, events: list[str], personal_data: bool,
    acting_user: Any,
) -> tuple[Endpoint, str]:  # fmt: skip
    """A new endpoint, disabled until an admin enables it; (it, its secret)."""
    secret = signing.new_secret()
    with transaction.atomic():
        endpoint = Endpoint.objects.create(
            organisation=organisation, name=name, url=url, events=sorted(events),
            personal_data=personal_data, secret=secret, enabled=False,
            disabled_reason=DisabledReason.NEW,
        )  # fmt: skip
        _record(AuditAction.WEBHOOK_CREATED, endpoint, acting_user, _settings_detail(endpoint))
    return endpoint, secret


def change_endpoint(
    endpoint: Endpoint, *, name: str, url: str, events: list[str], personal_data: bool,
    acting_user: Any,
) -> Endpoint:  # fmt: skip
    """Change the settings; a new URL is tried at once (the old one's backoff is forgotten)."""
    with transaction.atomic():
        moved = url != endpoint.url
        endpoint.name, endpoint.url, endpoint.events, endpoint.personal_data = (
            name, url, sorted(events), personal_data
        )  # fmt: skip
        fields = ["name", "url", "events", "personal_data", "updated_at"]
        if moved:
            endpoint.consecutive_failures, endpoint.failing_since, endpoint.retry_at = 0, None, None
            fields += ["consecutive_failures", "failing_since", "retry_at"]
            Delivery.objects.filter(endpoint=endpoint, next_attempt_at__isnull=False).update(
                next_attempt_at=timezone.now(), first_failed_at=None
            )
        endpoint.save(update_fields=fields)
        _record(AuditAction.WEBHOOK_CHANGED, endpoint, acting_user, _settings_detail(endpoint))
    return endpoint


def enable_endpoint(endpoint: Endpoint, *, acting_user: Any) -> None:
    """Enable it; deliveries that waited while it was disabled go now, with a fresh start."""
    now = timezone.now()
    with transaction.atomic():
        Endpoint.objects.filter(pk=endpoint.pk).update(
            enabled=True, disabled_reason=DisabledReason.NONE, consecutive_failures=0,
            failing_since=None, retry_at=None, updated_at=now,
        )  # fmt: skip
        Delivery.objects.filter(endpoint=endpoint, next_attempt_at__isnull=False).update(
            next_attempt_at=now, first_failed_at=None
        )
        _record(AuditAction.WEBHOOK_ENABLED, endpoint, acting_user)
    endpoint.refresh_from_db()


def disable_endpoint(endpoint: Endpoint, *, acting_user: Any) -> None:
    with transaction.atomic():
        Endpoint.objects.filter(pk=endpoint.pk).update(
            enabled=False, disabled_reason=DisabledReason.STAFF, updated_at=timezone.now()
        )
        _record(AuditAction.WEBHOOK_DISABLED, endpoint, acting_user, "by staff")
    endpoint.refresh_from_db()


def delete_endpoint(endpoint: Endpoint, *, acting_user: Any) -> None:
    """Delete it with its delivery log (events other endpoints share stay)."""
    with transaction.atomic():
        _record(AuditAction.WEBHOOK_DELETED, endpoint, acting_user)
        endpoint.delete()


def rotate_secret(endpoint: Endpoint, *, acting_user: Any) -> str:
    """A new secret; the old one still signs for PREVIOUS_SECRET_DAYS (Standard Webhooks'
    zero-downtime rotation: both signatures in the header). Returns the new secret."""
    secret = signing.new_secret()
    with transaction.atomic():
        endpoint.previous_secret, endpoint.secret = endpoint.secret, secret
        endpoint.previous_secret_until = timezone.now() + timedelta(days=PREVIOUS_SECRET_DAYS)
        endpoint.save(update_fields=["secret", "previous_secret", "previous_secret_until",
                                     "updated_at"])  # fmt: skip
        _record(AuditAction.WEBHOOK_SECRET_ROTATED, endpoint, acting_user)
    return secret


def send_test(endpoint: Endpoint, *, acting_user: Any) -> Delivery:
    """Queue one test event to this endpoint, enabled or not (the worker sends it once)."""
    now = timezone.now()
    with transaction.atomic():
        event = Event.objects.create(
            organisation_id=endpoint.organisation_id, type=EventType.TEST, occurred_at=now
        )
        delivery = Delivery.objects.create(endpoint=endpoint, is_test=True, next_attempt_at=now)
        delivery.events.add(event)
        _record(AuditAction.WEBHOOK_TEST_SENT, endpoint, acting_user, f"delivery #{delivery.pk}")
    return delivery


def redeliver(delivery: Delivery, *, acting_user: Any) -> None:
    """Send this delivery again, with the same `webhook-id` (the receiver may have it)."""
    now = timezone.now()
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery.pk).update(
            next_attempt_at=now, failed_at=None, first_failed_at=None
        )
        _record(
            AuditAction.WEBHOOK_REDELIVERED, delivery.endpoint, acting_user,
            f"delivery #{delivery.pk}",
        )  # fmt: skip
