"""Two-factor sign-in for staff: enrolling an authenticator app (TOTP) or a passkey, passing
the second factor, recovery codes, and an admin's reset of a member's factors.

The rules: `campaigns.permissions.requires_two_factor` says who must have a second factor;
whoever has one must pass it, required or not. Every success and failure is on the audit log;
every failure also counts toward django-axes' lockout, as a wrong password does (one signal,
`user_login_failed`, feeds both: audit/signals.py and axes). TOTP follows RFC 6238 (django-otp:
30-second steps, one step of tolerance, a code is refused once used); passkeys follow WebAuthn
Level 2 (django-otp-webauthn, over py_webauthn).
"""

from __future__ import annotations

import enum
from typing import Any

import django_otp
import segno
from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth.signals import user_login_failed
from django.db import transaction
from django.http import HttpRequest
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from undersigned.audit.models import AuditAction
from undersigned.audit.services import record
from undersigned.campaigns.permissions import may_reset_two_factor
from undersigned.staff import sessions
from undersigned.staff.models import (
    RECOVERY_CODE_COUNT,
    RecoveryCode,
    RecoveryCodeDevice,
    new_recovery_code,
    recovery_code_digest,
)

APP_NAME = "authenticator app"
PASSKEY = "passkey"
RECOVERY = "recovery code"


class Outcome(enum.StrEnum):
    PASSED = "passed"
    WRONG_CODE = "wrong code"
    REPLAYED = "code used before"
    THROTTLED = "too soon after a wrong code"
    UNKNOWN_RECOVERY_CODE = "unknown recovery code"
    RECOVERY_CODE_USED = "recovery code used before"
    NO_DEVICE = "no device"


class NotAllowed(Exception):
    """The acting user may not reset this member's second factors."""


def has_second_factor(user: Any) -> bool:
    """An authenticator app or a passkey, confirmed. Recovery codes alone do not count."""
    return (
        TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()
        or WebAuthnCredential.objects.filter(user_id=user.pk, confirmed=True).exists()
    )


def second_factors_of(user: Any) -> dict[str, Any]:
    return {
        "apps": list(TOTPDevice.objects.filter(user_id=user.pk, confirmed=True)),
        "passkeys": list(WebAuthnCredential.objects.filter(user_id=user.pk, confirmed=True)),
        "recovery": RecoveryCodeDevice.objects.filter(user_id=user.pk).first(),
    }


# -- enrolling ------------------------------------------------------------------------------


def pending_app(user: Any) -> TOTPDevice:
    """The authenticator app being set up (unconfirmed until its first code), made if needed."""
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).order_by("-pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)


def qr_code_svg(device: TOTPDevice) -> str:
    """The otpauth:// URI as an inline SVG drawn here (no image service, no script)."""
    from django.utils.translation import gettext

    return segno.make(device.config_url, error="m").svg_inline(
        scale=5, border=2, dark="#1b1b2f", light="#ffffff", omitsize=True,
        title=gettext("QR code of your authenticator app's key"),
    )  # fmt: skip


def readable_secret(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing it in instead of scanning."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def confirm_app(request: HttpRequest, code: str) -> Outcome:
    """Make the pending authenticator app active once it shows a right code. A wrong code is
    a failed second factor like any other (counted, audited)."""
    user = request.user
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).order_by("-pk").first()
    if device is None:
        return Outcome.NO_DEVICE
    allowed, _info = device.verify_is_allowed()
    if not allowed:
        return _failed(request, Outcome.THROTTLED, APP_NAME)
    if not device.verify_token(_digits(code)):
        return _failed(request, Outcome.WRONG_CODE, APP_NAME)
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).delete()
    record_enrolled(request, device, APP_NAME, was_verified=user.is_verified())  # type: ignore[union-attr]
    return Outcome.PASSED


def record_enrolled(request: HttpRequest, device: Device, kind: str, *, was_verified: bool) -> None:
    """A new second factor counts as passed for a session that had not passed one (the person
    just proved it): the session gets a new id and the failures are forgotten, as after any
    second factor."""
    if not was_verified:
        _passed(request, device)
    record(AuditAction.TWO_FACTOR_ENROLLED, user=request.user, detail=kind)


def issue_recovery_codes(*, acting_user: Any) -> list[str]:
    """Ten new one-time codes for the acting user, replacing any earlier ones; returned once,
    stored only as keyed hashes."""
    codes = [new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    with transaction.atomic():
        RecoveryCodeDevice.objects.filter(user_id=acting_user.pk).delete()
        device = RecoveryCodeDevice.objects.create(user=acting_user, name=RECOVERY, confirmed=True)
        RecoveryCode.objects.bulk_create(
            [RecoveryCode(device=device, digest=recovery_code_digest(code)) for code in codes]
        )
        record(AuditAction.RECOVERY_CODES_ISSUED, user=acting_user, row_count=len(codes))
    return codes


# -- passing the second factor --------------------------------------------------------------


def is_locked_out(request: HttpRequest) -> bool:
    return AxesProxyHandler.is_locked(request, _credentials(request.user))


def verify_code(request: HttpRequest, typed: str) -> Outcome:
    """A six-digit code from an authenticator app, or a recovery code."""
    user = request.user
    digits = _digits(typed)
    if digits.isdigit() and len(digits) == 6:
        outcome = Outcome.WRONG_CODE
        for device in TOTPDevice.objects.filter(user_id=user.pk, confirmed=True):
            if not device.verify_is_allowed()[0]:
                outcome = Outcome.THROTTLED
                continue
            if django_otp.verify_token(user, device.persistent_id, digits) is not None:
                _passed(request, device, APP_NAME)
                return Outcome.PASSED
            if _used_before(device, digits):
                outcome = Outcome.REPLAYED
        return _failed(request, outcome, APP_NAME)
    recovery = RecoveryCodeDevice.objects.filter(user_id=user.pk).first()
    if recovery is not None and recovery.verify_token(typed):
        _passed(request, recovery, RECOVERY)
        return Outcome.PASSED
    if recovery is not None and recovery.was_used_before(typed):
        return _failed(request, Outcome.RECOVERY_CODE_USED, RECOVERY)
    return _failed(request, Outcome.UNKNOWN_RECOVERY_CODE, RECOVERY)


def passed_with_passkey(request: HttpRequest, device: Device) -> None:
    _passed(request, device, PASSKEY)


def failed_with_passkey(request: HttpRequest, reason: str) -> None:
    _failed(request, reason, PASSKEY)


def _passed(request: HttpRequest, device: Device, kind: str | None = None) -> None:
    django_otp.login(request, device)
    sessions.rotate_key(request)  # a new session id for the session that just gained rights
    AxesProxyHandler.update_request(request)
    AxesProxyHandler.get_implementation().reset_user_attempts(  # type: ignore[attr-defined]
        request, _credentials(request.user)
    )
    if kind is not None:
        record(AuditAction.SECOND_FACTOR_PASSED, user=request.user, detail=kind)


def _failed(request: HttpRequest, outcome: str, kind: str) -> Any:
    """Counted by django-axes and written to the audit log (audit/signals.py), like a wrong
    password: the signal carries the account's username and what was refused."""
    credentials = {**_credentials(request.user), "second_factor": f"{kind}: {outcome}"}
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    return outcome


def _used_before(device: TOTPDevice, digits: str) -> bool:
    """The refused code is the app's code of a step already used (RFC 6238 section 5.2: a
    verifier must not accept the same code twice), not a wrong one: a replay, or a person who
    typed the code they had just used."""
    device.refresh_from_db(fields=["last_t", "drift"])
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    for offset in range(-device.tolerance, device.tolerance + 1):
        totp.drift = device.drift + offset
        if totp.t() <= device.last_t and f"{totp.token():0{device.digits}d}" == digits:
            return True
    return False


def _credentials(user: Any) -> dict[str, str]:
    return {"username": user.get_username()}


def _digits(typed: str) -> str:
    return "".join(typed.split())[:32]


# -- an admin's reset -----------------------------------------------------------------------


def reset_two_factor(member: Any, *, acting_user: Any) -> int:
    """Remove every second factor and recovery code of `member` and end all their sessions;
    they enrol again at their next sign-in. Returns how many factors were removed."""
    if not may_reset_two_factor(acting_user, member):
        raise NotAllowed
    with transaction.atomic():
        removed = 0
        for model in (TOTPDevice, WebAuthnCredential, RecoveryCodeDevice):
            removed += model.objects.filter(user_id=member.pk).delete()[1].get(model._meta.label, 0)
        ended = sessions.end_all_sessions(member)
        record(
            AuditAction.TWO_FACTOR_RESET, user=acting_user,
            subject=f"member {member.get_username()}", row_count=removed,
            detail=f"{ended} session(s) ended",
        )  # fmt: skip
    return removed
