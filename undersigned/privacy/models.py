"""Signers in control of their data: "email me a link" requests and the sessions they open."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from undersigned.core.outbox import FAILURE_MAX_LENGTH, Failure


class DataRequest(models.Model):
    """A signer's "email me a link to my data" request; the row is also its email's outbox.

    The request path only INSERTs this row, whether or not the address ever signed, so the
    answer and the work are the same for both. The worker decides which email to send and makes
    the link then: only a hash of the link's random key is stored (and the link carries an HMAC
    of the key too), so neither a copy of the database nor one plus the secret key opens it.
    Rows are deleted a day after they were made (privacy.my_data.services.purge_expired_my_data).
    """

    email = models.EmailField(max_length=254)
    email_normalised = models.CharField(max_length=254)
    language = models.CharField(max_length=8, default="en")
    created_at = models.DateTimeField(auto_now_add=True)
    # sha256 of the link's key; empty until the worker has made the link.
    key_hash = models.CharField(max_length=64, blank=True)
    link_expires_at = models.DateTimeField(null=True, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)
    # The outbox: owed until sent (or given up on, or dropped as one too many for the address).
    email_due = models.BooleanField(default=True)
    email_next_attempt_at = models.DateTimeField(null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_sent_at = models.DateTimeField(null=True, blank=True)
    email_failed_at = models.DateTimeField(null=True, blank=True)
    # Why the last attempt failed (core.outbox.Failure), never the address.
    email_failure = models.CharField(
        max_length=FAILURE_MAX_LENGTH, choices=Failure.choices, blank=True
    )

    class Meta:
        verbose_name = _("data request")
        verbose_name_plural = _("data requests")
        constraints = [
            models.UniqueConstraint(
                fields=["key_hash"], name="one_data_request_per_link", condition=~Q(key_hash="")
            ),
        ]
        indexes = [
            models.Index(
                fields=["email_next_attempt_at"],
                name="data_request_outbox",
                condition=Q(email_due=True),
            ),
            models.Index(fields=["email_normalised", "email_sent_at"], name="data_request_sent"),
            models.Index(fields=["created_at"], name="data_request_by_age"),
        ]

    def __str__(self) -> str:
        return f"data request #{self.pk}"


class DataSession(models.Model):
    """An open "manage my data" session, opened by one link and short-lived.

    The cookie's value is never stored, only its sha256: a copy of this table cannot be turned
    into a working cookie.
    """

    cookie_hash = models.CharField(max_length=64, unique=True)
    # The address the link was sent to, exactly: the only one whose data the session opens.
    email = models.EmailField(max_length=254, blank=True)
    email_normalised = models.CharField(max_length=254)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("data session")
        verbose_name_plural = _("data sessions")
        indexes = [models.Index(fields=["expires_at"], name="data_session_by_expiry")]

    def __str__(self) -> str:
        return f"data session #{self.pk}"
