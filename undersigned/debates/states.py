"""The life of an argument, as one table: (state, event) → next state (engine: core/transitions).

Arguments written by staff are created published. One from the public starts `submitted`,
becomes `confirmed` when its writer confirms their email (then it waits in the moderators'
queue), and is published or rejected by a moderator; a published argument can still be
taken down (rejected) if it turns out to break the rules.
"""

from __future__ import annotations

import enum

from django.db import models
from django.utils.translation import gettext_lazy as _

from undersigned.core.transitions import IllegalTransition, Machine

__all__ = ["TRANSITIONS", "ArgumentState", "Event", "IllegalTransition", "apply"]


class ArgumentState(models.TextChoices):
    SUBMITTED = "submitted", _("waiting for the writer to confirm their email")
    CONFIRMED = "confirmed", _("waiting for moderation")
    PUBLISHED = "published", _("published")
    REJECTED = "rejected", _("rejected")


class Event(enum.StrEnum):
    CONFIRM_EMAIL = "confirm_email"  # the writer confirmed their address
    PUBLISH = "publish"  # a moderator published it
    REJECT = "reject"  # a moderator rejected it (or took it down) with a standard reason


S = ArgumentState
TRANSITIONS: dict[tuple[ArgumentState, Event], ArgumentState] = {
    (S.SUBMITTED, Event.CONFIRM_EMAIL): S.CONFIRMED,
    (S.CONFIRMED, Event.PUBLISH): S.PUBLISHED,
    (S.CONFIRMED, Event.REJECT): S.REJECTED,
    (S.PUBLISHED, Event.REJECT): S.REJECTED,
}
MACHINE = Machine(ArgumentState, TRANSITIONS, "argument")
apply = MACHINE.apply
