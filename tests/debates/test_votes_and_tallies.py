"""Readers' verdicts: one vote per argument per reader and day, counted by the worker exactly
once, the tally equal to a recount, and nothing taken on a closed debate."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.debates.helpers import add, editor_of, make_debate
from tests.limits import set_limit
from undersigned.debates import services, tallies
from undersigned.debates.models import ArgumentTally, StanceAnswer, StanceTally, Vote

pytestmark = pytest.mark.django_db


def test_a_second_vote_from_the_same_reader_changes_nothing() -> None:
    argument = add(make_debate())
    assert services.cast_vote(argument, client_ip="203.0.113.5") is services.Counted.NEW
    assert services.cast_vote(argument, client_ip="203.0.113.5") is services.Counted.ALREADY
    assert Vote.objects.count() == 1


def test_the_vote_stores_no_address() -> None:
    argument = add(make_debate())
    services.cast_vote(argument, client_ip="203.0.113.5")
    vote = Vote.objects.get()
    assert "203.0.113" not in vote.voter and len(vote.voter) == 64


def test_the_same_address_makes_another_hash_the_next_day() -> None:
    now = timezone.now()
    today = services.voter_of("203.0.113.5", now)
    assert today == services.voter_of("203.0.113.5", now)
    assert today != services.voter_of("203.0.113.5", now + timedelta(days=1))
    assert today != services.voter_of("203.0.113.6", now)


def test_votes_on_a_closed_debate_are_refused() -> None:
    debate = make_debate()
    argument = add(debate)
    services.close_debate(debate, "Concluded.", acting_user=editor_of(debate))
    argument.refresh_from_db()
    with pytest.raises(services.DebateClosed):
        services.cast_vote(argument, client_ip="203.0.113.5")
    with pytest.raises(services.DebateClosed):
        services.answer_stance(debate, "yes", client_ip="203.0.113.5")
    assert not Vote.objects.exists() and not StanceAnswer.objects.exists()


def test_a_debate_past_its_closing_date_takes_no_votes() -> None:
    debate = make_debate(closes_at=timezone.now() - timedelta(minutes=1))
    argument = add(debate)
    with pytest.raises(services.DebateClosed):
        services.cast_vote(argument, client_ip="203.0.113.5")


def test_the_worker_counts_each_vote_once() -> None:
    debate = make_debate()
    argument = add(debate)
    for n in range(3):
        services.cast_vote(argument, client_ip=f"203.0.113.{n}")
    services.answer_stance(debate, "no", client_ip="203.0.113.1")
    assert tallies.tally_new_votes() == 4
    assert tallies.tally_new_votes() == 0
    tally = ArgumentTally.objects.get(argument=argument)
    assert tally.convinced == 3 and tally.readers == 3
    assert StanceTally.objects.get(debate=debate, answer="no").count == 1


def test_held_votes_are_stored_but_not_counted(settings) -> None:  # type: ignore[no-untyped-def]
    set_limit(settings, "debate_votes", 1)
    debate = make_debate()
    first, second = add(debate, claim="One"), add(debate, claim="Two")
    services.cast_vote(first, client_ip="198.51.100.7")
    services.cast_vote(second, client_ip="198.51.100.7")
    tallies.tally_new_votes()
    assert Vote.objects.filter(held=True).count() == 1
    assert ArgumentTally.objects.get(argument=first).convinced == 1
    assert ArgumentTally.objects.get(argument=second).convinced == 0


@settings(max_examples=15, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 9)), max_size=25))
def test_the_tally_equals_a_recount(votes: list[tuple[int, int]]) -> None:
    Vote.objects.all().delete()
    StanceAnswer.objects.all().delete()
    debate = make_debate(slug=f"d{Vote.objects.count()}{len(votes)}{timezone.now().timestamp()}")
    arguments = [add(debate, claim=f"Claim {n}") for n in range(3)]
    for which, reader in votes:
        services.cast_vote(arguments[which], client_ip=f"192.0.2.{reader}")
        services.answer_stance(
            debate, ["yes", "no", "not_sure"][which], client_ip=f"192.0.2.{reader}"
        )
        if reader % 4 == 0:
            tallies.tally_new_votes(batch_size=3)
    while tallies.tally_new_votes(batch_size=3):
        pass
    counted = {
        t.argument_id: (t.convinced, t.readers)
        for t in ArgumentTally.objects.filter(argument__debate=debate)
    }
    stances = dict(StanceTally.objects.filter(debate=debate).values_list("answer", "count"))
    tallies.recount_debate(debate.pk)
    assert counted == {
        t.argument_id: (t.convinced, t.readers)
        for t in ArgumentTally.objects.filter(argument__debate=debate)
    }
    assert {k: v for k, v in stances.items() if v} == dict(
        StanceTally.objects.filter(debate=debate).values_list("answer", "count")
    )
    expected = {
        a.pk: sum(1 for which, reader in set(votes) if which == i) for i, a in enumerate(arguments)
    }
    assert {pk: c for pk, (c, _r) in counted.items()} == expected


def test_wilson_lower_bound_prefers_evidence_over_a_lucky_start() -> None:
    assert tallies.wilson_lower_bound(1, 1) < tallies.wilson_lower_bound(80, 100)
    assert tallies.wilson_lower_bound(0, 0) == 0.0
    assert 0.0 < tallies.wilson_lower_bound(5, 10) < 0.5


def test_a_late_argument_is_not_held_back_by_readers_before_it() -> None:
    debate = make_debate()
    early = add(debate, claim="Early")
    for n in range(20):
        services.cast_vote(early, client_ip=f"192.0.2.{n}")
    tallies.tally_new_votes()
    late = add(debate, "against", claim="Late")
    for n in range(20, 30):
        services.cast_vote(late, client_ip=f"192.0.2.{n}")
        services.cast_vote(early, client_ip=f"192.0.2.{n}") if n < 22 else None
    tallies.tally_new_votes()
    early_t, late_t = (
        ArgumentTally.objects.get(argument=early),
        ArgumentTally.objects.get(argument=late),
    )
    assert early_t.convinced > late_t.convinced
    assert late_t.score > early_t.score
