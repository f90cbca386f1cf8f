"""An SMTP sink that can hold a message unanswered, so a test can kill the sender mid-send."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.fixtures.smtp import SmtpSink, free_port, serving


@dataclass
class HoldingSmtpSink(SmtpSink):
    """Accepts messages until `hold_after` are kept; the next one gets no answer (the sender
    waits for the server's reply) until `release()`, and is then refused, never kept: a
    message the server never accepted."""

    hold_after: int | None = None
    holding: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            hold = self.hold_after is not None and len(self.messages) >= self.hold_after
        if hold and not self.released.is_set():
            self.holding.set()
            while not self.released.is_set():
                await asyncio.sleep(0.01)
            return "451 Requested action aborted"
        return await super().handle_DATA(server, session, envelope)

    def release(self) -> None:
        self.released.set()


@pytest.fixture
def holding_smtp_sink(settings: Any) -> Iterator[HoldingSmtpSink]:
    sink = HoldingSmtpSink(host="127.0.0.1", port=free_port())
    with serving(sink, settings):
        try:
            yield sink
        finally:
            sink.release()  # before the controller stops, so no handler is left waiting
