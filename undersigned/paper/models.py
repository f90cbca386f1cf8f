"""Signatures collected on paper: a batch per imported sheet (or pile of sheets), its rows
while it is previewed, and the signatures it added once applied (docs/paper.md).

Of a paper signer only what the import needs is kept: the country (counted) and, when the
sheet gave one, the normalised email address (the key that keeps one person from counting
twice). The name is checked but not stored: the paper sheet itself is the record of who
signed, and it is handed over with the petition.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from undersigned.petitions.models import Petition

SHEET_REFERENCE_MAX_LENGTH = 60


class BatchStatus(models.TextChoices):
    PREVIEW = "preview", _("previewed, not applied")
    APPLIED = "applied", _("applied")
    REVERTED = "reverted", _("reverted")


class PaperBatch(models.Model):
    """One import: previewed (its rows wait in PaperRow), applied (its signatures are
    PaperSignature rows and counted), or reverted (its signatures removed, the numbers kept)."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="+")
    sheet_reference = models.CharField(_("sheet reference"), max_length=SHEET_REFERENCE_MAX_LENGTH)
    status = models.CharField(
        _("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.PREVIEW
    )
    # The preview's token: the apply form carries it back, so what is applied is exactly the
    # preview the staff member saw (not a re-upload).
    token = models.CharField(max_length=43, unique=True)
    # How the file was read ("utf-8", "utf-8-sig", "utf-16", "latin-1").
    encoding = models.CharField(max_length=12, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    accepted_count = models.PositiveIntegerField(_("accepted"), default=0)
    duplicate_count = models.PositiveIntegerField(_("duplicates"), default=0)
    rejected_count = models.PositiveIntegerField(_("rejected"), default=0)
    # Transparency-log entries of the batch and of its revert.
    log_index = models.BigIntegerField(null=True, blank=True)
    revert_log_index = models.BigIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("by"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("previewed"), auto_now_add=True)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("applied by"),
    )  # fmt: skip
    reverted_at = models.DateTimeField(_("reverted"), null=True, blank=True)
    reverted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("reverted by"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("paper batch")
        verbose_name_plural = _("paper batches")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"paper batch #{self.pk}"


class RowStatus(models.TextChoices):
    ACCEPTED = "accepted", _("accepted")
    DUPLICATE = "duplicate", _("duplicate")
    REJECTED = "rejected", _("rejected")


class PaperRow(models.Model):
    """A row of a previewed batch: what applying it would do, and why. Deleted when the
    batch is applied or its preview expires (PAPER_PREVIEW_HOURS)."""

    batch = models.ForeignKey(
        PaperBatch, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    row_number = models.PositiveIntegerField()  # the file's line of data (the header is 1)
    status = models.CharField(max_length=10, choices=RowStatus.choices)
    column = models.CharField(max_length=20, blank=True)
    # What is wrong (paper/rows.py: PROBLEMS), or which signature it repeats.
    problem = models.CharField(max_length=20, blank=True)
    duplicate_of_row = models.PositiveIntegerField(null=True, blank=True)
    email_normalised = models.CharField(max_length=254, blank=True)
    country = models.CharField(max_length=2, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["batch", "status", "row_number"], name="paper_row_by_status"),
            models.Index(fields=["batch", "email_normalised"], name="paper_row_by_email"),
        ]

    def __str__(self) -> str:
        return f"paper batch #{self.batch_id} row {self.row_number}"


class PaperSignature(models.Model):
    """A counted signature from paper. Reverting its batch deletes it."""

    batch = models.ForeignKey(PaperBatch, on_delete=models.CASCADE, related_name="+")
    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="+")
    row_number = models.PositiveIntegerField()
    # "" when the sheet gave no address (or retention removed it).
    email_normalised = models.CharField(max_length=254, blank=True)
    country = CountryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["petition", "email_normalised"],
                condition=~Q(email_normalised=""),
                name="one_paper_signature_per_petition_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"paper signature #{self.pk}"
