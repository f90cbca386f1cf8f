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


def totp_code(device: TOTPDevice, offset_steps: int = 0, *, at_step: int | None = None) -> str:
    """The app's code now (`offset_steps` steps away), or the one of time step `at_step`."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if at_step is not None:
        totp.time = device.t0 + at_step * device.step
    else:
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


def code_from_secret(secret_text: str, offset_steps: int = 0) -> str:
    """What an authenticator app shows for the key printed on the set-up page (RFC 6238)."""
    from base64 import b32decode

    raw = "".join(secret_text.split()).upper()
    key = b32decode(raw + "=" * (-len(raw) % 8))
    totp = TOTP(key)
    totp.time = totp.time + offset_steps * 30
    return f"{totp.token():06d}"


def sign_in_in_browser(page: Any, base_url: str, username: str, secret: str | None = None) -> str:
    """Type the password; set up an authenticator app if asked (reading its key off the page),
    or enter the code of the app whose key is `secret`. Returns the app's key."""
    page.goto(f"{base_url}/staff/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("a-long-test-password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    if "/staff/sign-in/set-up/" in page.url:
        secret = page.locator("[data-totp-secret]").inner_text()
        page.get_by_label("Code").fill(code_from_secret(secret))
        page.get_by_role("button", name="Turn on the app").click()
        page.get_by_role("link", name="I have kept them, continue").click()
    elif "/staff/sign-in/second-factor/" in page.url:
        assert secret is not None, "this account has an app: pass its key"
        page.get_by_label("Code").fill(code_from_secret(secret, offset_steps=1))
        page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    return secret or ""
