"""Organisation API keys, the signatures partners recorded with them, and each petition's
partner policy (docs/integrations.md).

A key is shown once and stored only as a keyed hash (HMAC-SHA256 under SECRET_KEY, like the
staff recovery codes): a copy of the database alone cannot be turned back into keys. Its
short public prefix finds the row; the hash of the whole key is then compared in constant
time.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from undersigned.campaigns.models import Organisation
from undersigned.petitions.models import Petition
from undersigned.signatures.models import Signature


class Scope(models.TextChoices):
    """What a key may do. The names are part of the API's contract: never rename one."""

    READ_SIGNATURES = "read_signatures", _("read signatures (identifiers, countries, dates)")
    READ_PERSONAL_DATA = "read_personal_data", _("read signers' names and email addresses")
    RECORD_SIGNATURES = "record_signatures", _("record signatures")
    WEBHOOKS = "webhooks", _("manage webhooks")


class ApiKey(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="api_keys",
        verbose_name=_("organisation"),
    )  # fmt: skip
    name = models.CharField(_("name"), max_length=100)
    # The public part of the key (its first characters), to find the row; not a secret.
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    # keyed_digest of the whole key (partners/keys.py); the key itself is never stored.
    digest = models.CharField(max_length=64)
    scopes = models.JSONField(_("scopes"), default=list)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("created by"),
    )  # fmt: skip
    # Stamped at most once a minute (partners/auth.py), not on every request.
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("revoked by"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")
        ordering = ["organisation_id", "-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def allows(self, scope: str) -> bool:
        return scope in (self.scopes or [])


class PetitionPartnerPolicy(models.Model):
    """A petition's setting for partners: whether it counts signatures a partner verified
    without the signer's email confirmation. No row means no (the default)."""

    petition = models.OneToOneField(
        Petition, on_delete=models.CASCADE, related_name="partner_policy"
    )
    accepts_partner_verified = models.BooleanField(
        _("count partner-verified signatures without email confirmation"), default=False
    )
    changed_at = models.DateTimeField(_("changed"), auto_now=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("partner policy")
        verbose_name_plural = _("partner policies")

    def __str__(self) -> str:
        return f"partner policy of petition #{self.petition_id}"


class RecordedSignature(models.Model):
    """Which key recorded a signature, and whether the partner verified it (then it counted
    without the signer's email confirmation). Erasing the signature deletes this row too."""

    signature = models.OneToOneField(
        Signature, on_delete=models.CASCADE, related_name="+", primary_key=True
    )
    api_key = models.ForeignKey(ApiKey, on_delete=models.PROTECT, related_name="recorded")
    partner_verified = models.BooleanField(default=False)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("signature recorded by a partner")
        verbose_name_plural = _("signatures recorded by partners")

    def __str__(self) -> str:
        return f"signature #{self.signature_id} by key #{self.api_key_id}"
