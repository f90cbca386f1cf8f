"""Passkeys in Chromium: Chromium's virtual authenticator (DevTools protocol, WebAuthn domain)
standing in for a phone or a security key. The test server as the passkeys' site is the
`passkeys_here` fixture (tests/browser/conftest.py)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page


def virtual_authenticator(page: Page) -> Any:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
        "hasUserVerification": True, "isUserVerified": True,
    }})  # fmt: skip
    return cdp
