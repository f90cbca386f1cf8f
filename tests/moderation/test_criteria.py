"""What each criterion matches, and the input every field refuses."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import make_signatures
from undersigned.moderation.forms import CriteriaForm
from undersigned.signatures.invalidation import count_matching
from undersigned.signatures.models import HeldReason

pytestmark = pytest.mark.django_db


def matched(petition, **data):
    form = CriteriaForm(data, name_criteria=True)  # as for a role that may see names
    assert form.is_valid(), form.errors
    return count_matching(petition, form.criteria())


def errors(**data):
    form = CriteriaForm(data, name_criteria=True)
    assert not form.is_valid()
    return " ".join(str(e) for errs in form.errors.values() for e in errs)


def test_an_address_matches_only_signatures_from_that_exact_address(petition):
    make_signatures(petition, 3, ip="203.0.113.9")
    make_signatures(petition, 2, ip="203.0.113.10")  # same /24, another address
    assert matched(petition, address="203.0.113.9") == 3


def test_an_ipv6_address_matches_however_it_is_written(petition):
    make_signatures(petition, 2, ip="2001:db8::7")
    assert matched(petition, address="2001:DB8:0:0::7") == 2


def test_a_cidr_range_matches_every_recorded_network_inside_it(petition):
    make_signatures(petition, 1, ip="203.0.112.5")
    make_signatures(petition, 2, ip="203.0.115.250")
    make_signatures(petition, 4, ip="203.0.116.1")  # outside 203.0.112.0/22
    make_signatures(petition, 3, ip="2001:db8:1:2::5")
    make_signatures(petition, 5, ip="2001:db9::1")
    assert matched(petition, cidr="203.0.112.0/22") == 3
    assert matched(petition, cidr="2001:db8:1::/48") == 3


def test_a_range_narrower_than_the_recorded_network_is_refused_with_the_reason():
    assert "Only whole /24 networks are recorded" in errors(cidr="203.0.113.0/28")
    assert "Only whole /64 networks are recorded" in errors(cidr="2001:db8::/80")
    assert "Enter a range such as" in errors(cidr="203.0.113.0/33")
    assert "too wide" in errors(cidr="0.0.0.0/0")


def test_at_least_one_criterion_is_required():
    assert "at least one criterion" in errors()


def test_a_name_pattern_ignores_case_and_takes_star_as_any_characters(petition):
    make_signatures(petition, 1, name="Bot Alpha")
    make_signatures(petition, 1, name="bot beta")
    make_signatures(petition, 1, name="Robot")
    make_signatures(petition, 1, name="Zoë (bot)")
    assert matched(petition, name_pattern="bot*") == 2
    assert matched(petition, name_pattern="*BOT*") == 4
    assert matched(petition, name_pattern="zoë (bot)") == 1  # brackets are literal
    assert "two letters or digits" in errors(name_pattern="*a*")
    assert "100 characters" in errors(name_pattern="x" * 101)


def test_domain_country_and_window_combine(petition):
    hour_ago = timezone.now() - timedelta(hours=1)
    make_signatures(petition, 2, domain="bots.example", country="RU")
    make_signatures(petition, 3, domain="bots.example", country="RU", created_at=hour_ago)
    make_signatures(petition, 4, domain="bots.example", country="DE")
    since = (timezone.localtime() - timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M")
    assert matched(petition, email_domain="@Bots.Example", country="RU") == 5
    assert matched(petition, email_domain="bots.example", country="RU", created_from=since) == 2
    assert "later than" in errors(created_from=since, created_to=since)
    assert "such as example.org" in errors(email_domain="not a domain")


def test_held_only_matches_held_signatures(petition):
    make_signatures(petition, 2, held_reason=HeldReason.NO_PROOF_OF_WORK)
    make_signatures(petition, 1, held_reason=HeldReason.SUBNET_RATE)
    make_signatures(petition, 5)
    assert matched(petition, held="any") == 3
    assert matched(petition, held=HeldReason.NO_PROOF_OF_WORK) == 2


def test_already_invalidated_signatures_are_not_matched_again(petition):
    make_signatures(petition, 2, domain="bots.example", invalidated_at=timezone.now())
    make_signatures(petition, 1, domain="bots.example")
    assert matched(petition, email_domain="bots.example") == 1


def test_the_form_refuses_overlong_input_without_an_error_page(client, petition, moderator):
    response = client.post(
        f"/staff/petitions/{petition.slug}/invalidations/new/",
        {"address": "1" * 500, "cidr": "x" * 500, "email_domain": "a" * 500, "country": "ZZZ",
         "created_from": "yesterday", "held": "nope", "name_pattern": "\x00bot"},
    )  # fmt: skip
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.content.decode()
