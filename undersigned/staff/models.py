"""Staff accounts' own records: recovery codes (a django-otp device of ours) and sessions.

Recovery codes are stored only as keyed hashes (HMAC-SHA256 under the SECRET_KEY): a copy of
the database alone cannot be turned back into codes. django-otp's own static device keeps its
tokens in plain text, so it is not used.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device

from undersigned.core.linktoken import keyed_digest

RECOVERY_CODE_COUNT = 10
_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
_CODE_LENGTH = 12  # about 59 bits each
_SALT = "undersigned.staff.recovery-code"


def new_recovery_code() -> str:
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(_CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_recovery_code(typed: str) -> str:
    """What a person typed, as the code was printed: spaces and dashes do not matter."""
    raw = "".join(ch for ch in typed.lower() if ch.isalnum())[: _CODE_LENGTH * 2]
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}" if len(raw) == _CODE_LENGTH else raw


def recovery_code_digest(code: str) -> str:
    return keyed_digest(_SALT, normalise_recovery_code(code))


class RecoveryCodeDevice(Device):
    """A staff member's set of one-time recovery codes, as one django-otp device."""

    class Meta:
        verbose_name = _("recovery codes")
        verbose_name_plural = _("recovery codes")

    def verify_token(self, token: str) -> bool:
        """Use up the code if it is one of this set's unused codes."""
        digest = recovery_code_digest(str(token))
        with transaction.atomic():
            used = RecoveryCode.objects.filter(
                device=self, digest=digest, used_at__isnull=True
            ).update(used_at=timezone.now())
        return used == 1

    def was_used_before(self, token: str) -> bool:
        digest = recovery_code_digest(str(token))
        return RecoveryCode.objects.filter(
            device=self, digest=digest, used_at__isnull=False
        ).exists()

    def unused_count(self) -> int:
        return self.codes.filter(used_at__isnull=True).count()


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["device", "digest"], name="recovery_code_unique")
        ]

    def __str__(self) -> str:
        return f"recovery code #{self.pk}" + (" (used)" if self.used_at else "")


class StaffSession(models.Model):
    """What a staff member sees of their signed-in sessions. The session itself is Django's
    (django_session); ending one deletes both."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_sessions"
    )
    session_key = models.CharField(max_length=40, unique=True)
    signed_in_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    # The browser's own description of itself, cut short; never the address.
    user_agent = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-last_seen_at"]
        indexes = [models.Index(fields=["user", "-last_seen_at"], name="staff_session_by_user")]

    def __str__(self) -> str:
        return f"session of {self.user_id} since {self.signed_in_at:%Y-%m-%d %H:%M}"
