from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.webhooks.receiver import Receiver


@pytest.fixture
def receiver(settings) -> Iterator[Receiver]:
    """A receiver, not started yet (nothing listens: connection refused until `start`)."""
    settings.WEBHOOK_LOCAL_RECEIVERS = True
    one = Receiver()
    yield one
    one.stop()
