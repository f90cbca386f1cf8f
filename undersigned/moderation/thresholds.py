"""When the fraud-signals page raises an alert. Each threshold is a setting read from the
environment (FRAUD_ALERT_*, defaults in config/settings.py; see docs/fraud-review.md)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Thresholds:
    # A source with this share (percent) of the last hour's signatures or more…
    share_percent: int
    # …and at least this many times its usual share (where the petition has a history).
    share_factor: int
    # A minute with this many times the petition's usual signatures per minute.
    surge_factor: int
    # Nothing smaller than this many signatures (in the hour, or in the minute) alerts.
    min_signatures: int


def alert_thresholds() -> Thresholds:
    return Thresholds(
        share_percent=settings.FRAUD_ALERT_SHARE_PERCENT,
        share_factor=settings.FRAUD_ALERT_SHARE_FACTOR,
        surge_factor=settings.FRAUD_ALERT_SURGE_FACTOR,
        min_signatures=settings.FRAUD_ALERT_MIN_SIGNATURES,
    )
