"""The life of a public petition, as one table: (state, event) → next state.

Nothing else changes a proposal's state. `apply` looks the move up in TRANSITIONS, refuses
anything not listed with IllegalTransition, and writes the change as a conditional UPDATE on
the state it expects: if another request moved the proposal first (two moderators deciding at
once, a sponsor confirming twice), the UPDATE matches no row and the late one is refused.
"""

from __future__ import annotations

import enum
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ProposalState(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("waiting for the creator to confirm their email")
    GATHERING = "gathering", _("gathering sponsors")
    IN_MODERATION = "in_moderation", _("waiting for moderation")
    PUBLISHED = "published", _("published")
    REJECTED = "rejected", _("rejected")


class Event(enum.StrEnum):
    CONFIRM_EMAIL = "confirm_email"  # the creator confirmed their address
    SPONSORS_REACHED = "sponsors_reached"  # enough sponsors confirmed theirs
    PUBLISH = "publish"  # a moderator published it as a petition
    REJECT = "reject"  # a moderator rejected it with a reason


S = ProposalState
TRANSITIONS: dict[tuple[ProposalState, Event], ProposalState] = {
    (S.UNCONFIRMED, Event.CONFIRM_EMAIL): S.GATHERING,
    (S.GATHERING, Event.SPONSORS_REACHED): S.IN_MODERATION,
    (S.IN_MODERATION, Event.PUBLISH): S.PUBLISHED,
    (S.IN_MODERATION, Event.REJECT): S.REJECTED,
}


class IllegalTransition(Exception):
    """The event does not apply to the proposal's state (or its state changed meanwhile)."""


def next_state(state: str, event: Event) -> ProposalState:
    try:
        return TRANSITIONS[(ProposalState(state), event)]
    except (KeyError, ValueError):
        raise IllegalTransition(f"{event.value!r} is not possible in state {state!r}") from None


def apply(proposal: Any, event: Event, **changes: Any) -> Any:
    """Move `proposal` by `event`, writing `changes` in the same UPDATE; refuse anything else.

    The caller's copy of the proposal is updated only when the database row was.
    """
    expected = proposal.state
    target = next_state(expected, event)
    now = timezone.now()
    updated = (
        type(proposal)
        ._default_manager.filter(pk=proposal.pk, state=expected)
        .update(state=target, updated_at=now, **changes)
    )
    if not updated:
        raise IllegalTransition(f"{event.value!r}: the proposal is no longer {expected!r}")
    proposal.state, proposal.updated_at = target, now
    for name, value in changes.items():
        setattr(proposal, name, value)
    return proposal
