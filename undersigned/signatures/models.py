"""Signatures and the counts made from them.

A signature row is also its own email outbox: `email_due` says which email it still owes the
signer, so signing is one INSERT and the worker sends in batches (see tasks.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from undersigned.core.outbox import FAILURE_MAX_LENGTH, Failure
from undersigned.petitions.models import Petition
from undersigned.signatures.querysets import HELD, TO_COUNT, SignatureQuerySet


class EmailDue(models.TextChoices):
    NONE = "", _("nothing")
    CONFIRMATION = "confirm", _("confirmation link")
    ALREADY_SIGNED = "already", _("'you have already signed' notice")


class HeldReason(models.TextChoices):
    """Why a signature is held back from the count until a moderator releases it.

    The signer is answered exactly as usual (no oracle for bots); see docs/abuse.md.
    """

    NONE = "", _("not held")
    ADDRESS_RATE = "address", _("too many from one network address")
    SUBNET_RATE = "subnet", _("too many from one network")
    DOMAIN_RATE = "domain", _("too many from one email domain")
    NO_PROOF_OF_WORK = "no_pow", _("signed without the browser check")


class ConsentWording(models.Model):
    """The exact words a signer agreed to, once per (privacy notice version, language, text).

    Each signature points here, so the consent record costs one integer per row.
    """

    notice_version = models.CharField(_("privacy notice version"), max_length=40)
    language = models.CharField(_("language"), max_length=8)
    wording = models.TextField(_("wording shown"))
    # sha256 of version, language and wording: the "only one" key.
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("consent wording")
        verbose_name_plural = _("consent wordings")

    def __str__(self) -> str:
        return f"{self.notice_version} ({self.language})"


class InvalidationStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    APPLIED = "applied", _("applied")
    REVERTED = "reverted", _("reverted")


class Invalidation(models.Model):
    """A moderator's bulk invalidation: the criteria, the reason, and whether it was undone.

    Signatures it invalidated point back to it, so reverting restores exactly those.
    """

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="invalidations")
    reason = models.CharField(_("reason"), max_length=300)
    # The filter as the moderator entered it (address, range, domain, country, name, window).
    criteria = models.JSONField(_("criteria"), default=dict)
    previewed_count = models.PositiveIntegerField(_("matched in preview"), default=0)
    invalidated_count = models.PositiveIntegerField(_("invalidated"), default=0)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=InvalidationStatus.choices,
        default=InvalidationStatus.QUEUED,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("by"),
    )  # fmt: skip
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)
    reverted_at = models.DateTimeField(_("reverted"), null=True, blank=True)
    reverted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("reverted by"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("invalidation")
        verbose_name_plural = _("invalidations")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"invalidation #{self.pk}"


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
    # Held back from the count until a moderator releases it ("" = not held).
    held_reason = models.CharField(
        _("held because"), max_length=8, choices=HeldReason.choices, blank=True
    )
    invalidation = models.ForeignKey(
        Invalidation, on_delete=models.SET_NULL, null=True, blank=True, related_name="signatures"
    )

    # Where the signature came from (signatures/sources.py): a tracked link's code, "embed",
    # "qr", a utm_source, "other" for a value we do not keep, or "" (came straight). Never
    # personal data, never in any public output.
    source = models.CharField(_("source"), max_length=40, blank=True)
    source_medium = models.CharField(_("utm_medium"), max_length=40, blank=True)
    source_campaign = models.CharField(_("utm_campaign"), max_length=40, blank=True)
    # The referring site's host name only (never the page, never a full URL).
    referrer_host = models.CharField(_("referring site"), max_length=100, blank=True)

    # For limits, fraud signals and bulk invalidation; see docs/abuse.md and docs/privacy.md.
    email_domain = models.CharField(_("email domain"), max_length=253, blank=True)
    # The /24 (IPv4) or /64 (IPv6) network, as "4:" or "6:" and fixed-width hex, so a CIDR
    # range is a string range in any database. Cleared after NETWORK_DATA_DAYS.
    client_subnet = models.CharField(max_length=20, blank=True)
    # A keyed hash of the full address: matches "this address" without storing it.
    # Cleared after NETWORK_DATA_DAYS.
    client_hash = models.CharField(max_length=24, blank=True)

    # The consent record: the wording and notice version shown; time is created_at, the
    # opt-in is updates_opt_in, the language is language.
    consent_wording = models.ForeignKey(
        ConsentWording, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Name, email and network data removed by the retention task; country and dates stay.
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)

    # The receipt that proves this signature is in the petition's transparency log, set on
    # confirming; deleted with the row on erasure (docs/verifiable-counts.md).
    receipt_secret = models.CharField(max_length=43, blank=True, db_default="")

    # Random key identifying the confirmation link (the link also carries an HMAC of it).
    confirmation_key = models.CharField(max_length=43, unique=True)
    confirmation_expires_at = models.DateTimeField()

    # The outbox: which email is owed, when to try next, how it went.
    email_due = models.CharField(max_length=8, choices=EmailDue.choices, blank=True)
    email_next_attempt_at = models.DateTimeField(null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_failed_at = models.DateTimeField(_("email undeliverable since"), null=True, blank=True)
    # Why the last attempt failed (core.outbox.Failure), never the address or the server's words.
    email_failure = models.CharField(
        _("why the email failed"), max_length=FAILURE_MAX_LENGTH, choices=Failure.choices,
        blank=True,
    )  # fmt: skip
    email_sent_at = models.DateTimeField(_("email last sent"), null=True, blank=True)
    # Signing again asks for a reminder (set by the sign request's one statement); the worker
    # turns it into an owed email within the hourly limit below (signatures/reminders.py).
    reminder_requested_at = models.DateTimeField(null=True, blank=True)
    # Re-sends asked for by signing again, limited per hour.
    resend_window_started_at = models.DateTimeField(null=True, blank=True)
    resends_in_window = models.PositiveSmallIntegerField(default=0)

    objects = SignatureQuerySet.as_manager()

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
                condition=TO_COUNT,
            ),
            models.Index(fields=["petition", "created_at"], name="signature_by_time"),
            # Held signatures waiting for a moderator (few; /metrics reads the oldest).
            models.Index(fields=["created_at"], name="signature_held", condition=HELD),
            models.Index(
                fields=["reminder_requested_at"],
                name="signature_reminder_asked",
                condition=Q(reminder_requested_at__isnull=False),
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
    `paper` is the same country's signatures collected on paper (the paper app adds and
    removes a batch's in one statement), read in the same query as the online count.
    """

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="counts")
    country = CountryField()
    # Defaults in the database too: each part's upsert (core/upsert.py) names only its own.
    count = models.BigIntegerField(default=0, db_default=0)
    paper = models.BigIntegerField(default=0, db_default=0)
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["petition", "country"], name="one_count_per_country"),
        ]

    def __str__(self) -> str:
        return f"{self.petition_id}/{self.country}: {self.count}"


class HourlyCount(models.Model):
    """Confirmed, valid signatures of a petition per hour (UTC) of confirmation and country,
    the count's own history: the counting job adds each batch in one upsert, invalidations
    subtract, a recount rebuilds. The row with country "" is the hour's total over all
    countries, so a petition's whole-life series reads one row per hour."""

    # The unique constraint's index starts with the petition: no second index for the key.
    petition = models.ForeignKey(
        Petition, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    hour = models.DateTimeField()
    country = models.CharField(max_length=2, blank=True)  # "" = all countries
    count = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["petition", "country", "hour"], name="one_count_per_petition_country_hour"
            ),
        ]
        indexes = [models.Index(fields=["hour", "petition"], name="hourly_count_by_hour")]

    def __str__(self) -> str:
        return f"{self.petition_id}/{self.country or '*'}/{self.hour:%Y-%m-%dT%H}: {self.count}"
