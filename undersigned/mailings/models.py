"""Updates emailed to signers: one mailing per update, one delivery row per recipient.

The delivery rows are the mailing's outbox (like a signature row is its own outbox for the
confirmation email): a row is pending until it is sent, skipped (the signer unsubscribed
meanwhile) or failed for good. See services.py for how they are leased and sent.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from undersigned.campaigns.models import Update
from undersigned.core.outbox import FAILURE_MAX_LENGTH, Failure
from undersigned.signatures.models import Signature


class MailingStatus(models.TextChoices):
    SENDING = "sending", _("sending")
    FINISHED = "finished", _("finished")


class UpdateMailing(models.Model):
    update = models.ForeignKey(Update, on_delete=models.CASCADE, related_name="mailings")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    per_minute = models.PositiveIntegerField(_("emails per minute"))
    total = models.PositiveIntegerField(_("recipients"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=MailingStatus.choices, default=MailingStatus.SENDING
    )
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Which chain of `send_update_mailing` tasks may send it, and until when that chain counts
    # as alive. A chain that stops renewing (its worker was killed) loses the mailing to the
    # next one the resumer starts (tasks.resume_stalled_mailings).
    runner = models.CharField(max_length=32, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("update mailing")
        verbose_name_plural = _("update mailings")
        ordering = ["-created_at", "-id"]
        constraints = [
            # An update is emailed at most once: a double submit cannot mail everyone twice.
            models.UniqueConstraint(fields=["update"], name="one_mailing_per_update"),
            models.CheckConstraint(condition=Q(per_minute__gte=1), name="mailing_rate_positive"),
        ]
        indexes = [
            models.Index(
                fields=["lease_until"], name="mailing_in_progress", condition=Q(status="sending")
            )
        ]

    def __str__(self) -> str:
        return f"mailing #{self.pk} of update #{self.update_id}"


PENDING = Q(sent_at__isnull=True, skipped_at__isnull=True, failed_at__isnull=True)


class UpdateDelivery(models.Model):
    mailing = models.ForeignKey(UpdateMailing, on_delete=models.CASCADE, related_name="deliveries")
    signature = models.ForeignKey(Signature, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=8)
    sent_at = models.DateTimeField(null=True, blank=True)
    skipped_at = models.DateTimeField(null=True, blank=True)  # unsubscribed before its turn
    failed_at = models.DateTimeField(null=True, blank=True)  # refused, or too many attempts
    attempts = models.PositiveSmallIntegerField(default=0)
    # Why the last attempt failed (core.outbox.Failure), never the address.
    failure = models.CharField(max_length=FAILURE_MAX_LENGTH, choices=Failure.choices, blank=True)
    # When the row may be tried next; a lease pushes it into the future (see services.py).
    next_attempt_at = models.DateTimeField()
    lease = models.CharField(max_length=32, blank=True)

    class Meta:
        verbose_name = _("update delivery")
        verbose_name_plural = _("update deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["mailing", "signature"], name="one_delivery_per_mailing_per_signature"
            )
        ]
        indexes = [
            models.Index(
                fields=["mailing", "next_attempt_at"], name="update_delivery_outbox",
                condition=PENDING,
            ),
            models.Index(
                fields=["mailing", "sent_at"], name="update_delivery_sent",
                condition=Q(sent_at__isnull=False),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"delivery #{self.pk}"
