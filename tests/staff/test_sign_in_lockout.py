"""Staff sign-in locks out password guessing from many addresses and password spraying from
one, not only one account from one address (issue 19, item 5)."""

from __future__ import annotations

import pytest

from tests.factories import make_organisation, make_staff
from undersigned.campaigns.models import Role

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"  # tests/factories.make_staff


def sign_in(client, username: str, password: str, address: str) -> int:
    response = client.post(
        "/staff/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )
    return response.status_code


@pytest.fixture
def limits(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.SIGN_IN_FAILURES_PER_ACCOUNT = 6
    settings.SIGN_IN_FAILURES_PER_ADDRESS = 8
    return settings


def test_switching_addresses_does_not_reset_the_guesses_on_one_account(client, limits):
    make_staff(make_organisation(), Role.EDITOR, username="ed")
    for n in range(5):  # at most two guesses from each address: no pair reaches 3
        assert sign_in(client, "ed", f"guess-{n}", f"203.0.113.{n // 2}") == 200
    assert sign_in(client, "ed", "guess-5", "203.0.113.2") == 429, "the sixth locks"
    assert sign_in(client, "ed", PASSWORD, "198.51.100.7") == 429, "the account is locked"
    assert sign_in(client, "ed", PASSWORD, "203.0.113.0") == 429


def test_password_spraying_from_one_address_locks_that_address(client, limits):
    organisation = make_organisation()
    for n in range(8):  # one guess at each of eight accounts; the eighth locks
        make_staff(organisation, Role.EDITOR, username=f"staff-{n}")
        expected = 429 if n == 7 else 200
        assert sign_in(client, f"staff-{n}", "Summer2026!", "203.0.113.9") == expected
    make_staff(organisation, Role.EDITOR, username="colleague")
    assert sign_in(client, "colleague", PASSWORD, "203.0.113.9") == 429
    assert sign_in(client, "colleague", PASSWORD, "198.51.100.7") == 302, "others sign in"


def test_signing_into_ones_own_account_does_not_reset_the_address(client, limits):
    organisation = make_organisation()
    make_staff(organisation, Role.EDITOR, username="insider")
    for n in range(7):
        make_staff(organisation, Role.EDITOR, username=f"target-{n}")
        assert sign_in(client, f"target-{n}", "Summer2026!", "203.0.113.9") == 200
    assert sign_in(client, "insider", PASSWORD, "203.0.113.9") == 302
    client.logout()
    make_staff(organisation, Role.EDITOR, username="target-7")
    assert sign_in(client, "target-7", "Summer2026!", "203.0.113.9") == 429, "the eighth locks"
    assert sign_in(client, "target-7", PASSWORD, "203.0.113.9") == 429


def test_one_account_from_one_address_still_locks_at_its_own_limit(client, limits):
    make_staff(make_organisation(), Role.EDITOR, username="ed")
    for n in range(3):
        sign_in(client, "ed", f"guess-{n}", "203.0.113.1")
    assert sign_in(client, "ed", PASSWORD, "203.0.113.1") == 429
    assert sign_in(client, "ed", PASSWORD, "203.0.113.2") == 302, "below the account's limit"
