"""Passkeys (WebAuthn) as a second factor, through django-otp-webauthn's ceremonies, with our
audit log and lockout: a refused assertion — another account's passkey, another origin, a
replayed challenge — is a failed second factor like a wrong code."""

from __future__ import annotations

import json
from typing import Any

from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _
from django_otp_webauthn import exceptions
from django_otp_webauthn import views as webauthn
from django_otp_webauthn.models import WebAuthnCredential

from undersigned.staff import two_factor


class LockedOut(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_detail = _("Too many attempts: this account is locked for an hour.")
    default_code = "locked_out"


class BeginRegistration(webauthn.BeginCredentialRegistrationView):
    pass


class CompleteRegistration(webauthn.CompleteCredentialRegistrationView):
    def post(self, *args: Any, **kwargs: Any) -> JsonResponse:
        was_verified = self.request.user.is_verified()  # type: ignore[union-attr]
        response = super().post(*args, **kwargs)  # raises if the passkey is refused
        device = WebAuthnCredential.objects.get(
            pk=json.loads(response.content)["id"], user_id=self.request.user.pk
        )
        two_factor.record_enrolled(
            self.request, device, two_factor.PASSKEY, was_verified=was_verified
        )
        return response


class BeginAuthentication(webauthn.BeginCredentialAuthenticationView):
    def check_can_authenticate(self) -> None:
        if not self.request.user.is_authenticated:  # a second factor only, never the first
            raise exceptions.NotAuthenticated()
        super().check_can_authenticate()


class CompleteAuthentication(webauthn.CompleteCredentialAuthenticationView):
    def check_can_authenticate(self) -> None:
        if not self.request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        if two_factor.is_locked_out(self.request):
            raise LockedOut()
        super().check_can_authenticate()

    def complete_auth(self, device: Any) -> Any:
        two_factor.passed_with_passkey(self.request, device)

    def handle_exception(self, exc: Exception) -> Any:
        user = getattr(self.request, "user", None)
        refused = isinstance(exc, exceptions.OTPWebAuthnApiError) and not isinstance(exc, LockedOut)
        if refused and user is not None and user.is_authenticated:
            two_factor.failed_with_passkey(self.request, str(getattr(exc, "code", "error")))
        return super().handle_exception(exc)
