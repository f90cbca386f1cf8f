"""Shared test fixtures: real databases, a real SMTP sink, a real browser."""

from __future__ import annotations

pytest_plugins = ["tests.fixtures.smtp", "tests.fixtures.browser", "tests.fixtures.worker"]


import pytest  # noqa: E402
from django.core.cache import cache  # noqa: E402


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate limits and cached counts live in the cache, petitions and pages in the process's
    memory too (core/cache.InProcess); each test starts with none."""
    from undersigned.core.cache import clear_in_process

    cache.clear()
    clear_in_process()
    yield
    cache.clear()
    clear_in_process()


@pytest.fixture
def admin_client(db, admin_user):
    """pytest-django's superuser client, signed in as the operator signs in: with a second
    factor (tests/sign_in.py)."""
    from django.test import Client

    from tests.sign_in import sign_in

    return sign_in(Client(), admin_user)
