"""The fraud-signals page: the last hour against the petition's usual mix, numbers only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import make_signatures
from undersigned.moderation.selectors import fraud_signals, subnet_to_cidr
from undersigned.signatures.models import HeldReason, Signature

pytestmark = pytest.mark.django_db


@pytest.fixture
def surge(petition):
    """Two days of ordinary signing, then a burst from one network and one domain."""
    two_days_ago = timezone.now() - timedelta(days=2)
    for n in range(10):
        make_signatures(petition, 10, ip=f"198.51.{n}.7", domain=f"mail{n}.example",
                        created_at=two_days_ago + timedelta(hours=n))  # fmt: skip
    now = timezone.now().replace(second=30)
    make_signatures(petition, 40, ip="203.0.113.9", domain="bots.example", country="RU",
                    created_at=now - timedelta(minutes=5))  # fmt: skip
    make_signatures(petition, 10, ip="198.51.0.7", domain="mail0.example",
                    created_at=now - timedelta(minutes=20))  # fmt: skip
    return petition


def page(client, petition):
    response = client.get(f"/staff/petitions/{petition.slug}/fraud/")
    assert response.status_code == 200
    return response


def test_the_surging_network_domain_and_address_are_marked_as_alerts(client, surge, moderator):
    signals = fraud_signals(surge)
    assert signals.recent_total == 50 and signals.usual_total == 100
    subnet = signals.subnets[0]
    assert (subnet.label, subnet.recent, subnet.alert) == ("203.0.113.0/24", 40, True)
    assert signals.domains[0].label == "bots.example" and signals.domains[0].alert
    assert signals.addresses[0].alert and signals.addresses[0].usual_share == 0
    assert signals.countries[0].label == "Russia" and signals.countries[0].alert
    ordinary = next(row for row in signals.domains if row.label == "mail0.example")
    assert ordinary.usual_share == 10 and not ordinary.alert  # 20% now: not 3 times the usual 10%
    assert signals.minutes[0].count == 40 and signals.minutes[0].alert

    html = page(client, surge).content.decode()
    assert "203.0.113.0/24" in html and "bots.example" in html
    assert "ALERT" in html and "SURGE" in html


def test_the_page_shows_no_names_emails_or_network_addresses(client, surge, moderator):
    html = page(client, surge).content.decode()
    for signature in Signature.objects.all()[:60]:
        assert signature.name not in html and signature.email not in html
    assert "203.0.113.9" not in html and "198.51.0.7" not in html


def test_thresholds_come_from_the_settings(client, surge, moderator, settings):
    settings.FRAUD_ALERT_MIN_SIGNATURES = 1000
    signals = fraud_signals(surge)
    assert signals.alerts == 0
    assert "ALERT" not in page(client, surge).content.decode()


def test_a_new_petition_alerts_on_one_network_but_not_on_a_big_email_provider(petition):
    make_signatures(petition, 25, ip="203.0.113.9", domain="gmail.com")
    make_signatures(petition, 25, ip="198.51.100.1", domain="gmail.com")
    signals = fraud_signals(petition)
    assert signals.usual_total == 0
    assert [row.alert for row in signals.subnets] == [True, True]  # each half of all signing
    assert not signals.domains[0].alert and not signals.countries[0].alert


def test_held_signatures_are_counted_by_reason(client, petition, moderator):
    make_signatures(petition, 3, held_reason=HeldReason.NO_PROOF_OF_WORK)
    make_signatures(petition, 1, held_reason=HeldReason.ADDRESS_RATE)
    assert fraud_signals(petition).held[0][1:] == ("signed without the browser check", 3)
    assert "Signed without the browser check: 3" in page(client, petition).content.decode()


def test_subnets_read_as_cidr_ranges():
    assert subnet_to_cidr("4:cb007100") == "203.0.113.0/24"
    assert subnet_to_cidr("6:20010db800010002") == "2001:db8:1:2::/64"
