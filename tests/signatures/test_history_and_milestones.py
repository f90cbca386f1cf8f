"""The counting job keeps the count's hourly history and crosses milestones exactly once."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, transaction
from django.db.models import Count, Sum
from django.db.models.functions import TruncHour
from django.utils import timezone

from tests.factories import make_petition, make_signatures
from tests.moderation.helpers import count_confirmations, public_count
from undersigned.moderation.services import queue_invalidation
from undersigned.petitions.models import Milestone, MilestoneKind
from undersigned.signatures.erasure import erase_signatures_of
from undersigned.signatures.history import cross_milestones
from undersigned.signatures.invalidation import (
    SIGNATURE_IDS,
    apply_invalidation,
    revert_invalidation,
)
from undersigned.signatures.models import HourlyCount, Signature
from undersigned.signatures.services import count_new_confirmations, recount_petition

pytestmark = pytest.mark.django_db


def history_by_country_hour(petition) -> Counter:
    rows = HourlyCount.objects.filter(petition=petition).exclude(country="")
    return Counter({(r.country, r.hour): r.count for r in rows if r.count})


def recount_by_country_hour(petition) -> Counter:
    rows = (
        Signature.objects.filter(petition=petition, counted=True, invalidated_at__isnull=True)
        .annotate(hour=TruncHour("confirmed_at", tzinfo=UTC))
        .values("country", "hour")
        .annotate(n=Count("id"))
    )
    return Counter({(str(r["country"]), r["hour"]): r["n"] for r in rows})


def invalidate(petition, ids):
    batch = queue_invalidation(
        petition, criteria={SIGNATURE_IDS: ids}, reason="test", previewed_count=len(ids),
        acting_user=None,
    )  # fmt: skip
    apply_invalidation(batch.pk)
    batch.refresh_from_db()
    return batch


def confirmed_at(hours_ago: float) -> datetime:
    return timezone.now() - timedelta(hours=hours_ago)


def test_history_adds_up_to_a_recount_per_country_and_hour():
    petition = make_petition()
    make_signatures(petition, 3, country="DE", confirmed_at=confirmed_at(5))
    make_signatures(petition, 2, country="FR", confirmed_at=confirmed_at(5))
    make_signatures(petition, 4, country="DE", confirmed_at=confirmed_at(1))
    count_confirmations()
    assert history_by_country_hour(petition) == recount_by_country_hour(petition)
    totals = HourlyCount.objects.filter(petition=petition, country="")
    assert sorted(r.count for r in totals) == [4, 5]
    assert recount_petition(petition.pk) == 9


def test_an_invalidation_takes_its_signatures_off_the_history_and_a_revert_puts_them_back():
    petition = make_petition()
    ids = make_signatures(petition, 5, country="ES", confirmed_at=confirmed_at(2))
    count_confirmations()
    batch = invalidate(petition, ids[:2])
    total = HourlyCount.objects.filter(petition=petition, country="").aggregate(n=Sum("count"))
    assert total["n"] == 3 == public_count(petition)
    assert history_by_country_hour(petition) == recount_by_country_hour(petition)
    revert_invalidation(batch, acting_user=None)
    assert history_by_country_hour(petition) == recount_by_country_hour(petition)
    assert sum(history_by_country_hour(petition).values()) == 5


def test_an_erased_signer_leaves_the_history():
    petition = make_petition()
    make_signatures(petition, 2, country="DE", confirmed_at=confirmed_at(3))
    email = Signature.objects.filter(petition=petition).earliest("id").email
    count_confirmations()
    erase_signatures_of(email)
    assert history_by_country_hour(petition) == recount_by_country_hour(petition)
    assert sum(history_by_country_hour(petition).values()) == 1


def test_a_recount_rebuilds_a_corrupted_history():
    petition = make_petition()
    make_signatures(petition, 3, country="DE", confirmed_at=confirmed_at(1))
    count_confirmations()
    HourlyCount.objects.filter(petition=petition).update(count=999)
    recount_petition(petition.pk)
    assert history_by_country_hour(petition) == recount_by_country_hour(petition)


def test_milestones_are_crossed_when_the_count_reaches_them_and_not_before():
    petition = make_petition(goal=5)
    ten = Milestone.objects.create(petition=petition, count=3)
    later = Milestone.objects.create(petition=petition, count=100)
    goal = Milestone.objects.create(petition=petition, kind=MilestoneKind.GOAL)
    make_signatures(petition, 2)
    count_confirmations()
    ten.refresh_from_db()
    assert ten.crossed_at is None
    make_signatures(petition, 3)
    count_confirmations()
    for milestone in (ten, later, goal):
        milestone.refresh_from_db()
    assert ten.crossed_at is not None
    assert goal.crossed_at is not None
    assert later.crossed_at is None


def test_a_count_that_falls_below_a_milestone_does_not_uncross_it_nor_cross_it_again():
    petition = make_petition()
    milestone = Milestone.objects.create(petition=petition, count=3)
    ids = make_signatures(petition, 3)
    count_confirmations()
    milestone.refresh_from_db()
    first = milestone.crossed_at
    assert first is not None
    invalidate(petition, ids[:2])
    assert public_count(petition) == 1
    milestone.refresh_from_db()
    assert milestone.crossed_at == first
    make_signatures(petition, 5)
    count_confirmations()
    recount_petition(petition.pk)
    milestone.refresh_from_db()
    assert milestone.crossed_at == first


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_counting_workers_cross_each_milestone_exactly_once(monkeypatch):
    """On PostgreSQL the two workers really run at once (SKIP LOCKED, row locks); on SQLite
    they take turns. Either way each milestone is crossed by exactly one UPDATE."""
    import undersigned.signatures.history as history

    petition = make_petition(goal=150)
    Milestone.objects.bulk_create(
        [Milestone(petition=petition, count=n) for n in (50, 100, 200, 400)]
        + [Milestone(petition=petition, kind=MilestoneKind.GOAL)]
    )
    make_signatures(petition, 450)
    crossings: list[int] = []
    original = history.cross_milestones

    def recorded(petition_id, now):
        crossed = original(petition_id, now)
        crossings.append(crossed)
        return crossed

    monkeypatch.setattr(history, "cross_milestones", recorded)
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def worker() -> None:
        try:
            barrier.wait(timeout=10)
            while count_new_confirmations(batch_size=7):
                pass
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert public_count(petition) == 450
    assert len(crossings) > 5  # both workers checked after many batches
    assert sum(crossings) == 5
    assert Milestone.objects.filter(petition=petition, crossed_at__isnull=True).count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_crossing_statements_cross_once():
    petition = make_petition()
    Milestone.objects.create(petition=petition, count=2)
    make_signatures(petition, 2)
    count_new_confirmations()
    Milestone.objects.filter(petition=petition).update(crossed_at=None)
    results: list[int] = []
    barrier = threading.Barrier(2)

    # PostgreSQL: both transactions are open before either UPDATE runs. SQLite takes its
    # write lock at BEGIN, so there the two can only meet at the door.
    inside = connection.vendor == "postgresql"

    def cross() -> None:
        try:
            if not inside:
                barrier.wait(timeout=10)
            with transaction.atomic():
                if inside:
                    barrier.wait(timeout=10)
                    Signature.objects.filter(petition=petition).exists()  # snapshot taken
                results.append(cross_milestones(petition.pk, timezone.now()))
        finally:
            connection.close()

    threads = [threading.Thread(target=cross) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == [0, 1]
