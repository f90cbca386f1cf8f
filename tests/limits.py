"""Change one row of the table of limits (settings.RATE_LIMITS) for a test."""

from __future__ import annotations

from typing import Any


def set_limit(settings: Any, name: str, at_most: int) -> None:
    """`name` allows `at_most` per its usual window, for this test (pytest-django's
    `settings` fixture puts the table back afterwards)."""
    seconds = settings.RATE_LIMITS[name][1]
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, name: (at_most, seconds)}
