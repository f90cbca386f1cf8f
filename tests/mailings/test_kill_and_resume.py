"""A mailing survives its worker being killed mid-send: real worker processes, real SMTP."""

from __future__ import annotations

import signal
import time
from datetime import date

import pytest

from tests.factories import make_case, make_petition, make_signature
from tests.mailings.helpers import recipients_of
from undersigned.campaigns.services import upsert_update
from undersigned.mailings.models import MailingStatus, UpdateDelivery, UpdateMailing
from undersigned.mailings.services import start_mailing
from undersigned.signatures.normalise import normalise_email

OPTED_IN = 60
HOLD_AFTER = 20


def _case_with_signers_in_every_state():
    case = make_case()
    first, second = make_petition(case=case), make_petition(case=case)
    intended = []
    for n in range(OPTED_IN - 1):
        signer = make_signature(
            first if n % 2 else second, email=f"reader{n}@example.org", opted_in=True
        )
        intended.append(signer.email_normalised)
    # One person signed both petitions (spelled two ways): one email.
    make_signature(first, email="Both.Petitions@example.org", opted_in=True)
    make_signature(second, email="both.petitions+news@example.org", language="de", opted_in=True)
    intended.append(normalise_email("both.petitions@example.org"))
    for n in range(3):
        make_signature(first, email=f"quiet{n}@example.org")
        make_signature(first, email=f"unconfirmed{n}@example.org", confirmed=False, opted_in=True)
        make_signature(second, email=f"fraud{n}@example.org", invalidated=True, opted_in=True)
    make_signature(
        make_petition(), email="other-case@example.org", opted_in=True
    )  # another case entirely
    return case, sorted(intended)


@pytest.mark.django_db(transaction=True)
def test_an_update_batch_killed_half_way_and_resumed_reaches_every_opted_in_signer_once(
    holding_smtp_sink, start_worker
):
    sink = holding_smtp_sink
    case, intended = _case_with_signers_in_every_state()
    update = upsert_update(case, date(2021, 1, 4), "The court refused extradition")
    mailing = start_mailing(update, acting_user=None, per_minute=600)  # ten a second
    assert mailing.total == OPTED_IN
    email_url = f"{sink.url}?timeout=2"
    started = time.monotonic()

    sink.hold_after = HOLD_AFTER
    first = start_worker(email_url=email_url, tick=0.5)
    assert sink.holding.wait(timeout=20), "the first worker never got going"
    first.send_signal(signal.SIGKILL)  # mid-send: message 21 is on the wire, unanswered
    first.wait(timeout=5)
    sink.release()
    assert len(sink.messages) == HOLD_AFTER
    assert UpdateDelivery.objects.filter(mailing=mailing, sent_at__isnull=False).count() == 20

    start_worker(email_url=email_url, tick=0.5)
    sink.wait_for(OPTED_IN, timeout=40)
    time.sleep(1.0)  # anything sent twice would arrive now
    elapsed = time.monotonic() - started

    assert recipients_of(sink.messages) == intended  # each intended signer, exactly once
    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.FINISHED
    assert not UpdateDelivery.objects.filter(mailing=mailing, sent_at__isnull=True).exists()
    assert UpdateMailing.objects.count() == 1
    print(f"\nkilled after {HOLD_AFTER}, resumed, all {OPTED_IN} sent in {elapsed:.1f}s")
