"""Fixtures of the browser tests."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def passkeys_here(settings: Any, live_server: Any) -> str:
    """Passkeys belong to a domain: the test server's (http://localhost is a secure context)."""
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    assert live_server.url.startswith("http://localhost:")
    return live_server.url
