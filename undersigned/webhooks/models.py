"""Webhooks: an organisation's endpoints, the events derived for them, and the deliveries.

- `Endpoint`: where to POST, which events, whether personal data may go there, its secret
  (Standard Webhooks' `whsec_…`; the previous one is still signed with for a day after a
  rotation), and its state — new endpoints start disabled, as Action Network's do.
- `Event`: one thing that happened (a signature counted, invalidated, erased; a milestone
  reached; an outcome changed), derived by the worker from rows already written
  (events.py). It holds identifiers only: the body is built when it is sent, from the rows
  as they are then, so no copy of anyone's personal data is kept here.
- `Delivery`: one POST owed to one endpoint, carrying up to WEBHOOK_BATCH_SIZE events; an
  outbox row (core/outbox.py's leasing and backoff) with its attempts and last answer.
- `LogCursor`, `ScanMark`: how far the worker has read each source.
- `DisabledNotice`: the email owed to an organisation's admin when an endpoint was disabled.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from undersigned.campaigns.models import Organisation
from undersigned.core.outbox import OutboxEmail
from undersigned.petitions.models import Petition

URL_MAX_LENGTH = 500
EXCERPT_LENGTH = 300  # of a receiver's answer, kept for the delivery log


class EventType(models.TextChoices):
    SIGNATURE_CONFIRMED = "signature.confirmed", _("a signature was confirmed and counted")
    SIGNATURE_INVALIDATED = "signature.invalidated", _("a counted signature was invalidated")
    SIGNATURE_ERASED = "signature.erased", _("a signer withdrew or erased a signature")
    PETITION_MILESTONE = "petition.milestone", _("a petition reached a milestone")
    PETITION_OUTCOME = "petition.outcome", _("a petition's outcome changed")
    TEST = "webhook.test", _("a test sent from the back office")


SUBSCRIBABLE = [value for value in EventType.values if value != EventType.TEST]


class DisabledReason(models.TextChoices):
    NONE = "", _("enabled")
    NEW = "new", _("new: not enabled yet")
    STAFF = "staff", _("disabled by staff")
    FAILING = "failing", _("disabled after failing for too long")
    GONE = "gone", _("disabled: the receiver answered 410 Gone")


class Endpoint(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    name = models.CharField(_("name"), max_length=100)
    url = models.CharField(_("URL"), max_length=URL_MAX_LENGTH)
    events = models.JSONField(_("events"), default=list)  # values of EventType
    personal_data = models.BooleanField(_("may receive personal data"), default=False)
    # Standard Webhooks' symmetric secret, "whsec_" + base64 of 32 random bytes.
    secret = models.CharField(max_length=80)
    previous_secret = models.CharField(max_length=80, blank=True)
    previous_secret_until = models.DateTimeField(null=True, blank=True)
    enabled = models.BooleanField(_("enabled"), default=False)
    disabled_reason = models.CharField(
        _("why disabled"), max_length=8, choices=DisabledReason.choices,
        default=DisabledReason.NEW, blank=True,
    )  # fmt: skip
    # The endpoint's own backoff: while it fails, only one delivery tries it at a time.
    consecutive_failures = models.PositiveIntegerField(default=0)
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True)
    retry_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def subscribes_to(self, event_type: str) -> bool:
        return event_type in self.events


class Event(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    type = models.CharField(max_length=24, choices=EventType.choices)
    petition = models.ForeignKey(
        Petition, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # The signature's primary key (no foreign key: an erased signature's row is gone, and its
    # event still names it, by its opaque identifier only).
    signature_pk = models.BigIntegerField(null=True, blank=True)
    # The row it was derived from: a log entry, a milestone, an outcome change, the erased
    # signature. With `type`, the "only once" key; none for tests.
    source_pk = models.BigIntegerField(null=True, blank=True)
    occurred_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["type", "source_pk"], name="one_event_per_source"),
        ]
        indexes = [models.Index(fields=["created_at"], name="webhook_event_by_age")]

    def __str__(self) -> str:
        return f"{self.type} #{self.pk}"


class Failure(models.TextChoices):
    """Why a delivery's last attempt failed: a code, never the receiver's words."""

    REFUSED = "refused", _("the receiver could not be reached")
    TIMEOUT = "timeout", _("the receiver did not answer in time")
    TLS = "tls", _("the receiver's certificate was refused")
    ADDRESS = "address", _("the address is not allowed (not public, or not https)")
    STATUS = "status", _("the receiver answered with an error")
    REDIRECT = "redirect", _("the receiver answered with a redirect (not followed)")
    BUILD = "build", _("the request could not be built")
    PAUSED = "paused", _("waiting: the endpoint failed recently")


class Delivery(models.Model):
    """One POST owed to one endpoint: up to WEBHOOK_BATCH_SIZE events, signed when sent."""

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    events = models.ManyToManyField(Event, related_name="deliveries")
    is_test = models.BooleanField(default=False)
    # The outbox (core/outbox.py): due while set; None once delivered or given up.
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    failed_at = models.DateTimeField(_("given up"), null=True, blank=True)
    failure = models.CharField(_("last failure"), max_length=12, choices=Failure.choices,
                               blank=True)  # fmt: skip
    response_status = models.PositiveSmallIntegerField(_("last response"), null=True, blank=True)
    # The first EXCERPT_LENGTH characters of the last answer's body, for staff to debug with.
    response_excerpt = models.CharField(max_length=EXCERPT_LENGTH, blank=True)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    # Its first failed attempt since it was (re)queued: it is given up on once it has failed
    # for WEBHOOK_DISABLE_AFTER_HOURS while the endpoint took others (a body it refuses).
    first_failed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(next_attempt_at__isnull=False),
                name="webhook_delivery_due",
            ),
            models.Index(fields=["endpoint", "-created_at"], name="webhook_delivery_log"),
        ]

    def __str__(self) -> str:
        return f"delivery #{self.pk} to {self.endpoint_id}"

    @property
    def status(self) -> str:
        if self.delivered_at is not None and self.next_attempt_at is None:
            return "delivered"
        if self.next_attempt_at is not None:
            return "retrying" if self.attempts else "pending"
        return "failed"


class LogCursor(models.Model):
    """The next transparency-log index of this petition the worker has not read yet."""

    petition = models.OneToOneField(
        Petition, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    next_index = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"webhooks read log {self.petition_id} to {self.next_index}"


class ScanMark(models.Model):
    """When the worker last read a source that is scanned by time (milestones, outcomes)."""

    name = models.CharField(max_length=20, unique=True)
    scanned_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} scanned at {self.scanned_at:%Y-%m-%d %H:%M:%S}"


class DisabledNotice(OutboxEmail):
    """The email owed to one admin: an endpoint of their organisation was disabled. The
    address is read from the account when sending."""

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, default="disabled")

    class Meta:
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(next_attempt_at__isnull=False),
                name="webhook_notice_due",
            )
        ]

    def __str__(self) -> str:
        return f"endpoint {self.endpoint_id} disabled: notice to {self.user_id}"
