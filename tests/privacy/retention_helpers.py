"""A world of petitions under every retention policy, with signatures at known times."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import time_machine

from tests.factories import make_petition, make_signature
from undersigned.petitions.models import Delivery, Petition, PetitionStatus, RetentionPolicy
from undersigned.signatures import services
from undersigned.signatures.models import HeldReason, Signature, SignatureCount

T0 = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
NETWORK = {"client_subnet": "4:0a000100", "client_hash": "k3yedh4sh0fanaddr3ss"}


def days(n: float) -> datetime:
    return T0 + timedelta(days=n)


@dataclass
class World:
    petitions: dict[str, Petition] = field(default_factory=dict)
    signatures: dict[str, int] = field(default_factory=dict)

    def ids(self, *names: str) -> set[int]:
        return {self.signatures[name] for name in names}


def _petition(policy: str, closes_in_days: float | None, **fields: Any) -> Petition:
    closes_at = None if closes_in_days is None else days(closes_in_days)
    return make_petition(retention_policy=policy, closes_at=closes_at, opens_at=days(-1), **fields)


def build_world() -> World:
    """Signatures made at T0 unless named otherwise; every one carries network data."""
    world = World()
    with time_machine.travel(T0, tick=False):
        world.petitions = {
            "close6": _petition(RetentionPolicy.MONTHS_AFTER_CLOSE, 10),
            "close3": _petition(RetentionPolicy.MONTHS_AFTER_CLOSE, 10, retention_months=3),
            "open": _petition(RetentionPolicy.MONTHS_AFTER_CLOSE, None),
            "delivered": _petition(RetentionPolicy.MONTH_AFTER_DELIVERY, 10),
            "undelivered": _petition(RetentionPolicy.MONTH_AFTER_DELIVERY, 10),
            "subscribed": _petition(RetentionPolicy.WHILE_SUBSCRIBED, 10),
        }
        Delivery.objects.create(
            petition=world.petitions["delivered"], delivered_on=days(20).date(),
            place="Parliament", signatures_delivered=3,
        )  # fmt: skip
        add = world.signatures
        for name, petition in world.petitions.items():
            add[f"{name}-de"] = make_signature(petition, country="DE", **NETWORK).pk
            add[f"{name}-fr"] = make_signature(petition, country="FR", **NETWORK).pk
        close6 = world.petitions["close6"]
        add["close6-invalid"] = make_signature(close6, invalidated_at=T0, **NETWORK).pk
        add["close6-held"] = make_signature(
            close6, held_reason=HeldReason.SUBNET_RATE, **NETWORK
        ).pk
        add["close6-unconfirmed"] = make_signature(close6, confirmed_at=None, **NETWORK).pk
        sub = world.petitions["subscribed"]
        add["subscribed-yes"] = make_signature(sub, updates_opt_in=True, **NETWORK).pk
        add["subscribed-invalid"] = make_signature(
            sub, updates_opt_in=True, invalidated_at=T0, **NETWORK
        ).pk
        add["open-unconfirmed"] = make_signature(
            world.petitions["open"], confirmed_at=None, **NETWORK
        ).pk
        while services.count_new_confirmations():
            pass
    with time_machine.travel(days(25), tick=False):
        add["open-late-unconfirmed"] = make_signature(
            world.petitions["open"], confirmed_at=None, **NETWORK
        ).pk
    # Closing time has come for the petitions with a date (the status follows it).
    Petition.objects.exclude(closes_at=None).update(status=PetitionStatus.CLOSED)
    return world


def counts() -> dict[tuple[int, str], int]:
    """Every per-country count: the public numbers."""
    return {(row.petition_id, str(row.country)): row.count for row in SignatureCount.objects.all()}


def anonymised_ids() -> set[int]:
    return set(Signature.objects.filter(anonymised_at__isnull=False).values_list("id", flat=True))


def with_network_data_ids() -> set[int]:
    rows = Signature.objects.exclude(client_subnet="", client_hash="")
    return set(rows.values_list("id", flat=True))


def existing_ids() -> set[int]:
    return set(Signature.objects.values_list("id", flat=True))
