"""State machines as one table each: (state, event) → next state, applied by conditional UPDATE.

An app declares its states (TextChoices), its events (StrEnum) and its TRANSITIONS table, and
builds one `Machine` from them; nothing else changes that model's state. `apply` looks the move
up, refuses anything not listed with IllegalTransition, and writes the change as an UPDATE on
the state it expects: if another request moved the row first (two moderators deciding at once,
a person confirming twice), the UPDATE matches no row and the late one is refused.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import timezone


class IllegalTransition(Exception):
    """The event does not apply to the row's state (or its state changed meanwhile)."""


@dataclass(frozen=True)
class Machine:
    states: type[models.TextChoices]
    transitions: dict[tuple[Any, Any], Any]
    what: str  # "proposal", "argument": named in the refusals

    def next_state(self, state: str, event: enum.StrEnum) -> Any:
        try:
            return self.transitions[(self.states(state), event)]
        except (KeyError, ValueError):
            raise IllegalTransition(f"{event.value!r} is not possible in state {state!r}") from None

    def apply(self, row: Any, event: enum.StrEnum, **changes: Any) -> Any:
        """Move `row` by `event`, writing `changes` (and `updated_at`) in the same UPDATE.

        The caller's copy is updated only when the database row was.
        """
        expected = row.state
        target = self.next_state(expected, event)
        now = timezone.now()
        updated = (
            type(row)
            ._default_manager.filter(pk=row.pk, state=expected)
            .update(state=target, updated_at=now, **changes)
        )
        if not updated:
            raise IllegalTransition(f"{event.value!r}: the {self.what} is no longer {expected!r}")
        row.state, row.updated_at = target, now
        for name, value in changes.items():
            setattr(row, name, value)
        return row
