"""Retention on a moved clock: exactly the due signatures are purged, anonymised or cleared of
network data — not one more, not one less — and every count stays as it was."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from tests.privacy.retention_helpers import (
    World,
    anonymised_ids,
    build_world,
    counts,
    days,
    existing_ids,
    with_network_data_ids,
)
from undersigned.audit.models import AuditAction, AuditLogEntry
from undersigned.privacy.retention.rules import apply_retention, retention_report
from undersigned.privacy.tasks import apply_retention_policies
from undersigned.signatures import services
from undersigned.signatures.models import Signature

pytestmark = pytest.mark.django_db

ALL_T0_ROWS = {
    *(f"{name}-{country}" for name in ("close6", "close3", "open", "delivered", "undelivered",
                                       "subscribed") for country in ("de", "fr")),
    "close6-invalid", "close6-held", "close6-unconfirmed", "subscribed-yes",
    "subscribed-invalid", "open-unconfirmed",
}  # fmt: skip
SUBSCRIBED_UNSUBSCRIBERS = {"subscribed-de", "subscribed-fr", "subscribed-invalid"}
UNCONFIRMED_AT_T0 = {"close6-unconfirmed", "open-unconfirmed"}
DELIVERED = {"delivered-de", "delivered-fr"}
CLOSE3 = {"close3-de", "close3-fr"}
CLOSE6 = {"close6-de", "close6-fr", "close6-invalid", "close6-held"}

# (the clock, anonymised, deleted, still holding network data) — cumulative at that moment.
TIMELINE = [
    ("6 days after signing", days(6), set(), set(), ALL_T0_ROWS | {"open-late-unconfirmed"}),
    ("network data goes at 7 days", days(8), set(), set(), {"open-late-unconfirmed"}),
    ("petitions closed", days(11), SUBSCRIBED_UNSUBSCRIBERS, set(), {"open-late-unconfirmed"}),
    (
        "30 days: unconfirmed deleted",
        days(31),
        SUBSCRIBED_UNSUBSCRIBERS,
        UNCONFIRMED_AT_T0,
        {"open-late-unconfirmed"},
    ),
    (
        "the late one's network data goes",
        days(33),
        SUBSCRIBED_UNSUBSCRIBERS,
        UNCONFIRMED_AT_T0,
        set(),
    ),
    (
        "a day short of a month after delivery",
        datetime(2026, 2, 24, 23, 0, tzinfo=UTC),
        SUBSCRIBED_UNSUBSCRIBERS,
        UNCONFIRMED_AT_T0,
        set(),
    ),
    (
        "a month after delivery",
        datetime(2026, 2, 25, 0, 30, tzinfo=UTC),
        SUBSCRIBED_UNSUBSCRIBERS | DELIVERED,
        UNCONFIRMED_AT_T0,
        set(),
    ),
    (
        "an hour short of 3 months after closing",
        datetime(2026, 4, 15, 11, 0, tzinfo=UTC),
        SUBSCRIBED_UNSUBSCRIBERS | DELIVERED,
        UNCONFIRMED_AT_T0 | {"open-late-unconfirmed"},
        set(),
    ),
    (
        "3 months after closing",
        datetime(2026, 4, 15, 12, 0, tzinfo=UTC),
        SUBSCRIBED_UNSUBSCRIBERS | DELIVERED | CLOSE3,
        UNCONFIRMED_AT_T0 | {"open-late-unconfirmed"},
        set(),
    ),
    (
        "6 months after closing",
        datetime(2026, 7, 15, 12, 0, tzinfo=UTC),
        SUBSCRIBED_UNSUBSCRIBERS | DELIVERED | CLOSE3 | CLOSE6,
        UNCONFIRMED_AT_T0 | {"open-late-unconfirmed"},
        set(),
    ),
    (
        "years later, the open and undelivered petitions and the subscriber are kept",
        datetime(2031, 1, 1, tzinfo=UTC),
        SUBSCRIBED_UNSUBSCRIBERS | DELIVERED | CLOSE3 | CLOSE6,
        UNCONFIRMED_AT_T0 | {"open-late-unconfirmed"},
        set(),
    ),
]


def _names(world: World, ids: set[int]) -> set[str]:
    by_id = {row_id: name for name, row_id in world.signatures.items()}
    return {by_id[row_id] for row_id in ids}


@pytest.mark.parametrize(
    ("moment", "anonymised", "deleted", "network"),
    [pytest.param(*step[1:], id=step[0]) for step in TIMELINE],
)
def test_retention_run_changes_exactly_the_due_signatures(
    moment: datetime, anonymised: set[str], deleted: set[str], network: set[str]
) -> None:
    world = build_world()
    with time_machine.travel(moment, tick=False):
        apply_retention()
    assert _names(world, anonymised_ids()) == anonymised
    assert set(world.signatures) - _names(world, existing_ids()) == deleted
    assert _names(world, with_network_data_ids()) == network


def test_counts_and_reports_hold_at_every_step_of_the_timeline() -> None:
    """Run as the worker would, step by step: the dry run predicts each run exactly, and the
    public count and the count per country never move."""
    world = build_world()
    before = counts()
    assert sum(before.values()) == 13  # two per petition and the subscriber
    for _label, moment, *_ in TIMELINE:
        with time_machine.travel(moment, tick=False):
            reports = [retention_report(petition) for petition in world.petitions.values()]
            run = apply_retention()
        for report in reports:
            petition = report.petition
            assert report.to_anonymise == run.anonymised[petition.pk]
            assert report.to_purge == run.purged[petition.pk]
            assert report.network_to_clear == run.network_cleared[petition.pk]
        assert counts() == before
    for petition in world.petitions.values():
        services.recount_petition(petition.pk)
    assert counts() == before  # rebuilt from the anonymised rows: the same numbers


def test_subscriber_is_anonymised_at_the_first_run_after_unsubscribing() -> None:
    world = build_world()
    subscriber = Signature.objects.get(pk=world.signatures["subscribed-yes"])
    with time_machine.travel(days(40), tick=False):
        apply_retention()
        assert Signature.objects.get(pk=subscriber.pk).anonymised_at is None
        services.unsubscribe_from_updates(subscriber)
        assert retention_report(world.petitions["subscribed"]).to_anonymise == 1
        apply_retention()
    assert Signature.objects.get(pk=subscriber.pk).anonymised_at is not None


def test_anonymised_signature_keeps_country_dates_and_state_but_nothing_personal() -> None:
    world = build_world()
    before = Signature.objects.get(pk=world.signatures["close6-held"])
    with time_machine.travel(datetime(2026, 8, 1, tzinfo=UTC), tick=False):
        apply_retention()
    after = Signature.objects.get(pk=before.pk)
    assert (after.name, after.email, after.email_domain) == ("", "", "")
    assert after.email_normalised == f"anonymised:{after.pk}"
    assert (after.client_subnet, after.client_hash) == ("", "")
    assert after.confirmation_key != before.confirmation_key
    assert not after.updates_opt_in and after.email_due == ""
    assert after.anonymised_at == datetime(2026, 8, 1, tzinfo=UTC)
    kept = ("country", "created_at", "confirmed_at", "counted", "held_reason", "invalidated_at",
            "language", "consent_wording_id")  # fmt: skip
    assert [getattr(after, f) for f in kept] == [getattr(before, f) for f in kept]


def test_a_second_run_at_the_same_moment_changes_nothing() -> None:
    build_world()
    with time_machine.travel(datetime(2026, 8, 1, tzinfo=UTC), tick=False):
        first = apply_retention()
        second = apply_retention()
    assert first.total > 0
    assert second.total == 0


def test_each_run_is_audited_per_petition_with_numbers_only() -> None:
    world = build_world()
    with time_machine.travel(days(31), tick=False):
        apply_retention_policies.call()
    entries = AuditLogEntry.objects.filter(action=AuditAction.RETENTION_RUN)
    by_petition = {entry.petition_id: entry for entry in entries}
    subscribed = world.petitions["subscribed"]
    # Every petition had network data cleared; "subscribed" also had 3 signers anonymised
    # (whose network data goes with the rest), and the subscriber's network data cleared.
    assert set(by_petition) == {p.pk for p in world.petitions.values()}
    entry = by_petition[subscribed.pk]
    assert entry.organisation_id == subscribed.case.organisation_id
    assert entry.row_count == 3 + 1
    assert entry.detail == "anonymised 3, unconfirmed deleted 0, network data cleared 1"
    assert by_petition[world.petitions["close6"].pk].detail == (
        "anonymised 0, unconfirmed deleted 1, network data cleared 4"
    )
    assert entry.user_id is None and entry.username == ""


def test_run_in_small_batches_reaches_every_due_row() -> None:
    from undersigned.privacy.retention.rules import signatures_to_anonymise
    from undersigned.signatures.retention import anonymise_signatures

    world = build_world()
    moment = datetime(2026, 8, 1, tzinfo=UTC)
    with time_machine.travel(moment, tick=False):
        due = set(signatures_to_anonymise(moment).values_list("id", flat=True))
        done = anonymise_signatures(signatures_to_anonymise(moment), moment, batch_size=2)
    assert sum(done.values()) == len(due) == 11
    assert anonymised_ids() == due
    assert done[world.petitions["close6"].pk] == 4


def test_unconfirmed_signature_is_kept_until_30_days_have_passed() -> None:
    world = build_world()
    with time_machine.travel(days(30) - timedelta(minutes=15), tick=False):
        apply_retention()
    assert world.ids(*UNCONFIRMED_AT_T0) <= existing_ids()
    with time_machine.travel(days(30), tick=False):
        apply_retention()
    assert not world.ids(*UNCONFIRMED_AT_T0) & existing_ids()
