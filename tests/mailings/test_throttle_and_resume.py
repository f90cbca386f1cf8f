"""A mailing goes out no faster than its per-minute rate, and one chain of runs sends it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.factories import make_case, make_petition, make_signature
from undersigned.campaigns.services import upsert_update
from undersigned.mailings.models import UpdateDelivery, UpdateMailing
from undersigned.mailings.sending import (
    claim_stalled_mailings,
    messages_allowed,
    send_interval,
    send_mailing_run,
)
from undersigned.mailings.services import start_mailing


def test_pacing_spreads_the_rate_evenly_over_the_minute():
    assert send_interval(600) == pytest.approx(0.1)
    assert send_interval(1) == 60
    assert messages_allowed(per_minute=600, sent_in_last_minute=0) == 600
    assert messages_allowed(per_minute=600, sent_in_last_minute=598) == 2
    assert messages_allowed(per_minute=600, sent_in_last_minute=650) == 0


def _mailing(signers: int, per_minute: int) -> UpdateMailing:
    case = make_case()
    petition = make_petition(case=case)
    for _ in range(signers):
        make_signature(petition, opted_in=True)
    return start_mailing(
        upsert_update(case, date(2021, 1, 4), "News"), acting_user=None, per_minute=per_minute
    )


@pytest.mark.django_db
def test_a_run_sends_no_faster_than_the_mailings_rate(smtp_sink):
    mailing = _mailing(signers=30, per_minute=120)  # one every half second
    result = send_mailing_run(mailing.pk, mailing.runner, slice_seconds=2.0)
    sent_at = sorted(
        t for t in UpdateDelivery.objects.values_list("sent_at", flat=True) if t is not None
    )
    assert result.sent == len(sent_at) == len(smtp_sink.messages)
    assert 1 <= result.sent <= 5  # 2 s at two a second (at most), not all 30
    # Two a second: no one-second window holds more than two (three at its very edges).
    busiest = max(sum(1 for t in sent_at if s <= t < s + timedelta(seconds=1)) for s in sent_at)
    assert busiest <= 3
    assert (sent_at[-1] - sent_at[0]).total_seconds() >= 0.5 * (len(sent_at) - 2)
    assert result.next_run_at is not None  # and it says when to go on


@pytest.mark.django_db
def test_a_run_waits_while_the_last_minute_is_used_up(smtp_sink):
    mailing = _mailing(signers=8, per_minute=5)
    a_while_ago = timezone.now() - timedelta(seconds=10)
    first_five = UpdateDelivery.objects.order_by("id").values_list("id", flat=True)[:5]
    UpdateDelivery.objects.filter(id__in=list(first_five)).update(sent_at=a_while_ago)
    result = send_mailing_run(mailing.pk, mailing.runner)
    assert result.sent == 0 and smtp_sink.messages == []
    assert result.next_run_at == a_while_ago + timedelta(seconds=60)


@pytest.mark.django_db
def test_a_second_chain_cannot_send_a_mailing_a_live_chain_holds(smtp_sink):
    mailing = _mailing(signers=3, per_minute=6000)
    intruder = send_mailing_run(mailing.pk, "someone-else")
    assert (intruder.sent, intruder.next_run_at) == (0, None)
    assert claim_stalled_mailings() == []  # its lease is live: nothing to resume


@pytest.mark.django_db
def test_a_mailing_whose_chain_stopped_renewing_is_handed_to_a_new_runner(smtp_sink):
    mailing = _mailing(signers=3, per_minute=6000)
    UpdateMailing.objects.filter(pk=mailing.pk).update(
        lease_until=timezone.now() - timedelta(seconds=1)
    )
    [(mailing_id, runner)] = claim_stalled_mailings()
    assert mailing_id == mailing.pk and runner != mailing.runner
    assert send_mailing_run(mailing.pk, mailing.runner).sent == 0  # the old chain is out
    assert send_mailing_run(mailing.pk, runner).sent == 3
    assert len(smtp_sink.messages) == 3
