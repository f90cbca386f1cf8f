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

from undersigned.campaigns.models import Case, Update
from undersigned.core.outbox import FAILURE_MAX_LENGTH, Failure
from undersigned.petitions.models import Milestone, OutcomeChange, Petition
from undersigned.signatures.models import Signature


class MailingStatus(models.TextChoices):
    SENDING = "sending", _("sending")
    FINISHED = "finished", _("finished")


class MailingKind(models.TextChoices):
    UPDATE = "update", _("an update on the case")
    MILESTONE = "milestone", _("a milestone reached")
    OUTCOME = "outcome", _("the petition's response or outcome")


class UpdateMailing(models.Model):
    """One email to signers who asked for updates: an update on a case (to the case's signers)
    or, on one petition, a milestone reached or a change of its outcome (to its signers)."""

    kind = models.CharField(max_length=10, choices=MailingKind.choices, default=MailingKind.UPDATE)
    update = models.ForeignKey(
        Update, on_delete=models.CASCADE, related_name="mailings", null=True, blank=True
    )
    milestone = models.ForeignKey(
        Milestone, on_delete=models.CASCADE, related_name="mailings", null=True, blank=True
    )
    outcome_change = models.ForeignKey(
        OutcomeChange, on_delete=models.CASCADE, related_name="mailings", null=True, blank=True
    )
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
            # …and a milestone or an outcome change too (auto-send and a button may race).
            models.UniqueConstraint(fields=["milestone"], name="one_mailing_per_milestone"),
            models.UniqueConstraint(
                fields=["outcome_change"], name="one_mailing_per_outcome_change"
            ),
            models.CheckConstraint(
                condition=Q(
                    kind="update",
                    update__isnull=False,
                    milestone__isnull=True,
                    outcome_change__isnull=True,
                )
                | Q(
                    kind="milestone",
                    update__isnull=True,
                    milestone__isnull=False,
                    outcome_change__isnull=True,
                )
                | Q(
                    kind="outcome",
                    update__isnull=True,
                    milestone__isnull=True,
                    outcome_change__isnull=False,
                ),
                name="mailing_of_one_thing",
            ),
            models.CheckConstraint(condition=Q(per_minute__gte=1), name="mailing_rate_positive"),
        ]
        indexes = [
            models.Index(
                fields=["lease_until"], name="mailing_in_progress", condition=Q(status="sending")
            )
        ]

    def __str__(self) -> str:
        return f"mailing #{self.pk} ({self.kind})"

    @property
    def petition(self) -> Petition | None:
        """The petition a milestone or outcome mailing is about (None for a case update)."""
        if self.milestone_id is not None:
            return self.milestone.petition  # type: ignore[union-attr]
        if self.outcome_change_id is not None:
            return self.outcome_change.petition  # type: ignore[union-attr]
        return None

    @property
    def case(self) -> Case:
        petition = self.petition
        return petition.case if petition is not None else self.update.case  # type: ignore[union-attr]

    @property
    def title(self) -> str:
        """What the staff pages and the signer's data export call this mailing."""
        if self.update_id is not None:
            return str(self.update.title)  # type: ignore[union-attr]
        petition = self.petition
        if self.milestone_id is not None:
            threshold = self.milestone.threshold(petition.goal)  # type: ignore[union-attr]
            return _("%(petition)s: %(number)s signatures") % {
                "petition": petition, "number": f"{threshold:,}",
            }  # fmt: skip
        return _("%(petition)s: %(outcome)s") % {
            "petition": petition, "outcome": self.outcome_change.get_to_outcome_display(),  # type: ignore[union-attr]
        }  # fmt: skip


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
