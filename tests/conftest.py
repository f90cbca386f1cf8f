"""Shared test fixtures: real databases, a real SMTP sink, a real browser."""

from __future__ import annotations

pytest_plugins = ["tests.fixtures.smtp", "tests.fixtures.browser", "tests.fixtures.worker"]
