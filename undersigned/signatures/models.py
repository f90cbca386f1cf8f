"""Signatures and the counts made from them.

A signature row is also its own email outbox: `email_due` says which email it still owes the
signer, so signing is one INSERT and the worker sends in batches (see tasks.py).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from undersigned.petitions.models import Petition


class EmailDue(models.TextChoices):
    NONE = "", _("nothing")
    CONFIRMATION = "confirm", _("confirmation link")
    ALREADY_SIGNED = "already", _("'you have already signed' notice")


class Signature(models.Model):
    petition = models.ForeignKey(Petition, on_delete=models.PROTECT, related_name="signatures")
    name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(_("email"), max_length=254)
    # The key that decides "the same signer": see normalise.py.
    email_normalised = models.CharField(max_length=254)
    country = CountryField(_("country"))
    updates_opt_in = models.BooleanField(_("wants updates"), default=False)
    language = models.CharField(_("language"), max_length=8, default="en")
    created_at = models.DateTimeField(_("signed"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    invalidated_at = models.DateTimeField(_("invalidated"), null=True, blank=True)
    # True once the counting job has added this confirmed signature to SignatureCount.
    counted = models.BooleanField(default=False)

    # Random key identifying the confirmation link (the link also carries an HMAC of it).
    confirmation_key = models.CharField(max_length=43, unique=True)
    confirmation_expires_at = models.DateTimeField()

    # The outbox: which email is owed, when to try next, how it went.
    email_due = models.CharField(max_length=8, choices=EmailDue.choices, blank=True)
    email_next_attempt_at = models.DateTimeField(null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_failed_at = models.DateTimeField(_("email undeliverable since"), null=True, blank=True)
    email_sent_at = models.DateTimeField(_("email last sent"), null=True, blank=True)
    # Re-sends asked for by signing again, limited per hour.
    resend_window_started_at = models.DateTimeField(null=True, blank=True)
    resends_in_window = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        constraints = [
            models.UniqueConstraint(
                fields=["petition", "email_normalised"], name="one_signature_per_petition_per_email"
            ),
        ]
        indexes = [
            models.Index(
                fields=["email_next_attempt_at"],
                name="signature_email_outbox",
                condition=~Q(email_due=""),
            ),
            models.Index(
                fields=["id"],
                name="signature_to_count",
                condition=Q(confirmed_at__isnull=False, counted=False),
            ),
        ]

    def __str__(self) -> str:
        return f"signature #{self.pk}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class SignatureCount(models.Model):
    """Confirmed, valid signatures per petition and country, kept by the counting job.

    The public count is the sum of a petition's rows. No confirmation writes here: the job adds
    each batch in one statement per (petition, country), so no row is hot under a surge.
    """

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="counts")
    country = CountryField()
    count = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["petition", "country"], name="one_count_per_country"),
        ]

    def __str__(self) -> str:
        return f"{self.petition_id}/{self.country}: {self.count}"
