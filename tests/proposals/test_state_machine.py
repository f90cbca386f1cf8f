"""Every (state, event) pair: the legal ones move the proposal, all others are refused."""

from __future__ import annotations

import itertools

import pytest

from tests.proposals.helpers import make_proposal
from undersigned.proposals.models import Proposal
from undersigned.proposals.states import (
    TRANSITIONS,
    Event,
    IllegalTransition,
    ProposalState,
    apply,
    next_state,
)

pytestmark = pytest.mark.django_db

ALL_PAIRS = list(itertools.product(ProposalState, Event))
LEGAL = [
    (state, event, TRANSITIONS[(state, event)])
    for state, event in ALL_PAIRS
    if (state, event) in TRANSITIONS
]
ILLEGAL = [(state, event) for state, event in ALL_PAIRS if (state, event) not in TRANSITIONS]


def changes_for(event: Event) -> dict[str, str]:
    # A rejection carries its reason (the database insists), so an illegal REJECT is refused
    # by the table and not merely by the constraint.
    return {"rejection_reason": "duplicate"} if event is Event.REJECT else {}


def test_the_table_has_exactly_the_four_moves_of_the_life_of_a_proposal():
    assert len(LEGAL) == 4
    assert len(ILLEGAL) == len(ProposalState) * len(Event) - 4


@pytest.mark.parametrize(("state", "event", "target"), LEGAL)
def test_a_legal_event_moves_the_proposal_in_the_database(organisation, state, event, target):
    proposal = make_proposal(organisation, state=state)
    apply(proposal, event, **changes_for(event))
    assert proposal.state == target
    assert Proposal.objects.get(pk=proposal.pk).state == target


@pytest.mark.parametrize(("state", "event"), ILLEGAL)
def test_an_illegal_event_is_refused_and_changes_nothing(organisation, state, event):
    proposal = make_proposal(organisation, state=state)
    reason_before = proposal.rejection_reason
    with pytest.raises(IllegalTransition):
        apply(proposal, event, **changes_for(event))
    assert proposal.state == state
    stored = Proposal.objects.get(pk=proposal.pk)
    assert (stored.state, stored.rejection_reason) == (state, reason_before)


def test_an_unknown_state_is_refused_too():
    with pytest.raises(IllegalTransition):
        next_state("archived", Event.PUBLISH)


def test_a_stale_copy_cannot_move_a_proposal_that_moved_meanwhile(organisation):
    first = make_proposal(organisation, state=ProposalState.IN_MODERATION)
    second = Proposal.objects.get(pk=first.pk)  # another moderator's copy, read before
    apply(first, Event.PUBLISH)
    with pytest.raises(IllegalTransition):
        apply(second, Event.REJECT, rejection_reason="offensive")
    stored = Proposal.objects.get(pk=first.pk)
    assert (stored.state, stored.rejection_reason) == (ProposalState.PUBLISHED, "")
