"""The audit log: every export of signature data — who, when, which petition, how many rows."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from undersigned.campaigns.models import Organisation
from undersigned.petitions.models import Petition


class ExportKind(models.TextChoices):
    SIGNATURES_CSV = "signatures_csv", _("signatures (CSV)")
    SIGNATURES_CSV_WITH_EMAIL = "signatures_csv_with_email", _("signatures with emails (CSV)")
    AGGREGATE_CSV = "aggregate_csv", _("count per country per day (CSV)")
    DELIVERY_PDF = "delivery_pdf", _("delivery document (PDF)")
    DELIVERY_PDF_WITH_NAMES = "delivery_pdf_with_names", _("delivery document with names (PDF)")


class AuditLogEntry(models.Model):
    """One export. Written when it starts and completed when its last row has been sent, so an
    export whose download was cut off is still on record, with the rows that left the server."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    # Kept as text too, so the entry still says who it was after the account is deleted.
    username = models.CharField(_("username"), max_length=150)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="audit_log",
        verbose_name=_("organisation"),
    )
    petition = models.ForeignKey(
        Petition,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("petition"),
    )
    action = models.CharField(_("what"), max_length=32, choices=ExportKind.choices)
    row_count = models.PositiveBigIntegerField(_("rows"), default=0)
    completed = models.BooleanField(_("completed"), default=False)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log entries")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "-created_at"], name="audit_log_by_organisation"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.username} {self.action}"
