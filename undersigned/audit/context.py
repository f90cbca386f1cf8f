"""Who is acting, for entries written far from the request (model signals, services).

The admin sets it around a request that changes records; a signal receiver that records a
role change asks `current_actor()` instead of guessing. Nothing set means "no person": a
management command, a task, or code that does not know.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

_actor: ContextVar[Any] = ContextVar("audit_actor", default=None)


@contextmanager
def acting_as(user: Any) -> Iterator[None]:
    token = _actor.set(user)
    try:
        yield
    finally:
        _actor.reset(token)


def current_actor() -> Any:
    return _actor.get()
