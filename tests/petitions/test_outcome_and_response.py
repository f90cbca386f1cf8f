"""Staff record the target's response and move the outcome one allowed step at a time."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import make_petition
from undersigned.audit.models import AuditAction, AuditLogEntry
from undersigned.petitions.models import Milestone, Outcome, OutcomeChange
from undersigned.petitions.outcomes import (
    MilestoneRefused,
    OutcomeRefused,
    change_outcome,
    record_response,
    remove_milestone,
    save_milestone,
)
from undersigned.petitions.selectors import outcome_view

pytestmark = pytest.mark.django_db


def test_a_new_petition_is_awaiting_a_response():
    assert make_petition().outcome == Outcome.AWAITING_RESPONSE


def test_recording_the_response_moves_the_outcome_to_responded_dated_and_audited():
    petition = make_petition()
    record_response(
        petition, responded_on=date(2026, 11, 2), bodies={"en": "We **will** consider it."},
        acting_user=None,
    )  # fmt: skip
    petition.refresh_from_db()
    assert petition.outcome == Outcome.RESPONDED
    change = OutcomeChange.objects.get(petition=petition)
    assert (change.from_outcome, change.to_outcome) == ("awaiting_response", "responded")
    assert change.changed_on == date(2026, 11, 2)
    actions = set(
        AuditLogEntry.objects.filter(petition_id=petition.pk).values_list("action", flat=True)
    )
    assert {AuditAction.RESPONSE_RECORDED, AuditAction.OUTCOME_CHANGED} <= actions


def test_an_outcome_that_skips_a_step_is_refused_with_the_reason():
    petition = make_petition()
    with pytest.raises(OutcomeRefused, match="cannot skip a step"):
        change_outcome(petition, Outcome.WON, acting_user=None)
    petition.refresh_from_db()
    assert petition.outcome == Outcome.AWAITING_RESPONSE
    assert not OutcomeChange.objects.filter(petition=petition).exists()


def test_won_is_final_and_withdrawn_is_allowed_from_any_open_state():
    petition = make_petition()
    change_outcome(petition, Outcome.RESPONDED, acting_user=None)
    change_outcome(petition, Outcome.WON, acting_user=None)
    with pytest.raises(OutcomeRefused, match="final"):
        change_outcome(petition, Outcome.WITHDRAWN, acting_user=None)
    other = make_petition()
    change_outcome(other, Outcome.WITHDRAWN, acting_user=None)
    assert [c.to_outcome for c in OutcomeChange.objects.filter(petition=petition)] == [
        "responded", "won",
    ]  # fmt: skip


def test_milestone_counts_must_be_positive_and_unique_per_petition():
    petition = make_petition()
    save_milestone(petition, count=100, fields={}, acting_user=None)
    with pytest.raises(MilestoneRefused, match="already has"):
        save_milestone(petition, count=100, fields={}, acting_user=None)
    with pytest.raises(MilestoneRefused, match="at least 1"):
        save_milestone(petition, count=0, fields={}, acting_user=None)
    save_milestone(make_petition(), count=100, fields={}, acting_user=None)  # another petition
    assert Milestone.objects.filter(petition=petition).count() == 1


def test_one_goal_milestone_per_petition_and_it_follows_the_goal():
    petition = make_petition(goal=500)
    save_milestone(petition, count=None, fields={"note_en": "Handed over"}, acting_user=None)
    with pytest.raises(MilestoneRefused):
        save_milestone(petition, count=None, fields={}, acting_user=None)
    save_milestone(petition, count=100, fields={}, acting_user=None)
    view = outcome_view(petition)
    assert [(m.threshold, m.is_goal) for m in view.milestones] == [(100, False), (500, True)]
    assert view.next_milestone is not None
    assert view.next_milestone.threshold == 100


def test_a_crossed_milestone_cannot_be_removed_but_a_future_one_can():
    petition = make_petition()
    crossed = save_milestone(petition, count=1, fields={}, acting_user=None)
    Milestone.objects.filter(pk=crossed.pk).update(crossed_at="2026-12-01T00:00:00Z")
    crossed.refresh_from_db()
    with pytest.raises(MilestoneRefused):
        remove_milestone(crossed, acting_user=None)
    future = save_milestone(petition, count=50, fields={}, acting_user=None)
    remove_milestone(future, acting_user=None)
    assert list(Milestone.objects.filter(petition=petition)) == [crossed]
    assert AuditLogEntry.objects.filter(action=AuditAction.MILESTONE_CHANGED).count() == 3
