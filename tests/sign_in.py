"""Signing staff in for tests as staff sign in: a password, then a second factor.

`sign_in(client, user)` signs the account in with its password (force_login), sets up an
authenticator app through the real set-up page — the code computed from the app's secret, as
the phone would — and so leaves the session past its second factor. An account that already
has an app is marked verified with django-otp's own login helper (a second real code within
the same 30 seconds would be refused as a replay, rightly).
"""

from __future__ import annotations

from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def totp_code(device: TOTPDevice, offset_steps: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset_steps * device.step
    return f"{totp.token():0{device.digits}d}"


def enrol_app(client: Client) -> TOTPDevice:
    """Through the set-up page: open it, read the new app's secret, send its code."""
    page = client.get("/staff/sign-in/set-up/")
    assert page.status_code == 200, page.status_code
    device = TOTPDevice.objects.filter(confirmed=False).order_by("-pk").first()
    assert device is not None
    response = client.post("/staff/sign-in/set-up/", {"code": totp_code(device)})
    assert response.status_code == 200 and b"recovery codes" in response.content.lower()
    device.refresh_from_db()
    assert device.confirmed
    return device


def sign_in(client: Client, user: Any) -> Client:
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        enrol_app(client)
    else:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
