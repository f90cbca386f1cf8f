"""Every (state, event) pair of an argument: the listed moves happen, the others are refused
and change nothing (debates/states.py)."""

from __future__ import annotations

import itertools

import pytest

from tests.debates.helpers import make_debate, submit
from tests.factories import make_staff
from undersigned.audit.models import AuditAction, AuditLogEntry
from undersigned.campaigns.models import Role
from undersigned.core.linktoken import Kind, token_for
from undersigned.core.transitions import IllegalTransition
from undersigned.debates import services
from undersigned.debates.models import Argument
from undersigned.debates.states import TRANSITIONS, ArgumentState, Event
from undersigned.signatures.services import ConfirmationOutcome

pytestmark = pytest.mark.django_db


def _in_state(state: ArgumentState) -> Argument:
    debate = make_debate()
    argument = submit(debate)
    Argument.objects.filter(pk=argument.pk).update(
        state=state, rejection_reason="off_topic" if state == ArgumentState.REJECTED else ""
    )
    argument.refresh_from_db()
    return argument


def _fire(argument: Argument, event: Event) -> None:
    moderator = make_staff(argument.debate.case.organisation, Role.MODERATOR)
    if event is Event.CONFIRM_EMAIL:
        token = token_for(Kind.DEBATE_CONTRIBUTION, argument.confirmation_key or "")
        found = services.confirm_contribution(token)
        if found.outcome is not ConfirmationOutcome.CONFIRMED:
            raise IllegalTransition(found.outcome.value)
    elif event is Event.PUBLISH:
        services.publish_argument(argument, acting_user=moderator)
    else:
        services.reject_argument(argument, "off_topic", acting_user=moderator)


@pytest.mark.parametrize(("state", "event"), list(itertools.product(ArgumentState, Event)), ids=str)
def test_each_state_and_event(state: ArgumentState, event: Event) -> None:
    argument = _in_state(state)
    expected = TRANSITIONS.get((state, event))
    if expected is None:
        with pytest.raises(IllegalTransition):
            _fire(argument, event)
        argument.refresh_from_db()
        assert argument.state == state
    else:
        _fire(argument, event)
        argument.refresh_from_db()
        assert argument.state == expected


def test_a_decision_is_audited_without_the_writer() -> None:
    argument = _in_state(ArgumentState.CONFIRMED)
    _fire(argument, Event.PUBLISH)
    entry = AuditLogEntry.objects.get(action=AuditAction.DEBATE_ARGUMENT_MODERATED)
    assert entry.detail == "decision=publish" and entry.subject == f"argument {argument.pk}"
    assert "rita" not in f"{entry.subject} {entry.detail}".lower()


def test_two_moderators_deciding_at_once_the_late_one_is_refused() -> None:
    argument = _in_state(ArgumentState.CONFIRMED)
    stale = Argument.objects.get(pk=argument.pk)
    _fire(argument, Event.PUBLISH)
    with pytest.raises(IllegalTransition):
        _fire(stale, Event.REJECT)
    assert Argument.objects.get(pk=argument.pk).state == ArgumentState.PUBLISHED


def test_a_correction_marks_the_argument_edited() -> None:
    argument = _in_state(ArgumentState.PUBLISHED)
    moderator = make_staff(argument.debate.case.organisation, Role.MODERATOR)
    services.correct_argument(
        argument, claim="A corrected claim", explanation="Fixed.", acting_user=moderator
    )
    argument.refresh_from_db()
    assert argument.claim == "A corrected claim" and argument.edited_by_moderators


def test_a_rejected_argument_cannot_be_corrected() -> None:
    argument = _in_state(ArgumentState.REJECTED)
    moderator = make_staff(argument.debate.case.organisation, Role.MODERATOR)
    with pytest.raises(IllegalTransition):
        services.correct_argument(argument, claim="x", explanation="", acting_user=moderator)
