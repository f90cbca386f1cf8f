"""The life of a public petition, as one table: (state, event) → next state.

Nothing else changes a proposal's state: the engine is core/transitions.py (`apply` refuses
anything not in TRANSITIONS with IllegalTransition, by a conditional UPDATE on the expected
state, so the late one of two concurrent decisions is refused).
"""

from __future__ import annotations

import enum

from django.db import models
from django.utils.translation import gettext_lazy as _

from undersigned.core.transitions import IllegalTransition, Machine

__all__ = ["TRANSITIONS", "Event", "IllegalTransition", "ProposalState", "apply", "next_state"]


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


MACHINE = Machine(ProposalState, TRANSITIONS, "proposal")
next_state = MACHINE.next_state
apply = MACHINE.apply
