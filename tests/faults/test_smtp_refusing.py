"""Fault 4: the SMTP server refuses every email for a while: 421 at MAIL FROM (closing the
channel), then 451 at RCPT TO (try again later).

Each email backs off on its own (core/outbox.py: retry_delay, doubling from
EMAIL_RETRY_SECONDS) and goes out once the server answers. An email first refused at t0 is
tried again no later than 2 * (T - t0) + the first step after an outage that began at 0 and
lasted T, so every email goes out within T + EMAIL_RETRY_SECONDS (+ one 2 s worker tick) of
the server answering again: with the defaults (30 s) and a 60 s outage, within about 92 s.
Here the outage lasts the issue's 60 s, with a 2 s first step so the test need not wait 30 s.
"""

import time

import pytest

from tests.faults.parts import wait_until

pytestmark = pytest.mark.fault

REFUSING_FOR = 60.0  # seconds, as issue 20 asks: half 421, half 451
FIRST_STEP = 2.0  # EMAIL_RETRY_SECONDS in tests/faults/parts.py
TICK = 2.0


def test_every_email_goes_out_once_the_smtp_server_answers_again(stack):
    time.sleep(3)
    assert float(stack.site.env["EMAIL_RETRY_SECONDS"]) == FIRST_STEP
    refused_from = time.monotonic()
    stack.sink.refusing = "421"
    time.sleep(REFUSING_FOR / 2)
    stack.sink.refusing = "451"
    time.sleep(REFUSING_FOR / 2)
    stack.sink.refusing = ""
    answering_at = time.monotonic()
    owed = set(stack.load.acknowledged)  # everything signed up to now must arrive
    caught_up = wait_until(
        lambda: owed <= set(stack.sink.per_recipient()),
        REFUSING_FOR + FIRST_STEP + 2 * TICK + 5,
        "every email owed during the refusal delivered",
        step=0.1,
    )
    time.sleep(3)
    result = stack.settle_and_check(
        "smtp_refusing",
        refusing_s=round(answering_at - refused_from, 2),
        refusals=stack.sink.refusals,
        owed_when_answering=len(owed),
        all_sent_after_answering_s=round(caught_up, 2),
        bound_s=REFUSING_FOR + FIRST_STEP + TICK,
        failed_requests_during_fault=len(stack.load.failures_between(refused_from, answering_at)),
    )
    assert stack.sink.refusals > 0  # the server really refused
    assert result["failed_requests_during_fault"] == 0  # signing never waits on SMTP
    assert result["duplicate_emails"] == 0  # a refused email was not taken, so never twice
