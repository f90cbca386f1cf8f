from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.webhooks.receiver import Receiver, release


@pytest.fixture
def receiver(settings) -> Iterator[Receiver]:
    """A receiver, not started yet (nothing listens: connection refused until `start`)."""
    settings.WEBHOOK_LOCAL_RECEIVERS = True
    one = Receiver()
    yield one
    one.stop()
    release(one.port)


@pytest.fixture
def admins_mailbox(settings):
    """The SMTP sink (tests/fixtures/smtp.py) on a port of this helper's range."""
    from tests.fixtures.smtp import SmtpSink, serving
    from tests.webhooks.receiver import free_port

    port = free_port()
    with serving(SmtpSink(host="127.0.0.1", port=port), settings) as sink:
        yield sink
    release(port)
