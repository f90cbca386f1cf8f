"""Where a signature comes from: the trusted-proxy rule, and what is kept of the address."""

from __future__ import annotations

import ipaddress

import pytest

from tests.factories import make_petition
from tests.signatures.abuse_helpers import post_sign
from undersigned.signatures.models import Signature
from undersigned.signatures.network import cidr_to_subnet_range, hash_client_address, subnet_of
from undersigned.web.middleware import client_ip_from

PROXY = [ipaddress.ip_network("10.0.0.0/8")]


@pytest.mark.django_db
def test_spoofed_forwarded_for_from_an_untrusted_client_does_not_change_the_address(
    client, settings
):
    settings.TRUSTED_PROXIES = PROXY
    petition = make_petition()
    extra = {"REMOTE_ADDR": "198.51.100.7", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    assert post_sign(client, petition, extra).status_code == 303
    signature = Signature.objects.get()
    assert signature.client_hash == hash_client_address("198.51.100.7")
    assert signature.client_subnet == "4:c6336400"  # 198.51.100.0/24


@pytest.mark.django_db
def test_behind_a_trusted_proxy_the_rightmost_untrusted_hop_is_the_client(client, settings):
    settings.TRUSTED_PROXIES = PROXY
    petition = make_petition()
    # The client forged the first hop; our proxies (10.x) appended the real one and themselves.
    extra = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.9, 10.0.0.1"}
    assert post_sign(client, petition, extra).status_code == 303
    signature = Signature.objects.get()
    assert signature.client_hash == hash_client_address("203.0.113.9")
    assert signature.client_subnet == "4:cb007100"


def test_forwarded_for_is_ignored_without_any_trusted_proxy():
    assert client_ip_from("198.51.100.7", "203.0.113.9", []) == "198.51.100.7"


@pytest.mark.django_db
def test_the_raw_address_is_never_stored(client):
    petition = make_petition()
    post_sign(client, petition, {"REMOTE_ADDR": "2001:db8:abcd:12:1:2:3:4"})
    row = Signature.objects.values().get()
    assert not any("2001:db8" in str(value) for value in row.values())
    assert row["client_subnet"] == "6:20010db8abcd0012"
    assert len(row["client_hash"]) <= 24


def test_client_hash_is_keyed_stable_and_normalised(settings):
    assert hash_client_address("2001:db8::1") == hash_client_address("2001:DB8:0::1")
    assert hash_client_address("::ffff:192.0.2.1") == hash_client_address("192.0.2.1")
    before = hash_client_address("192.0.2.1")
    settings.SECRET_KEY = "another-secret-key-that-is-long-enough-for-the-checks-42"
    assert hash_client_address("192.0.2.1") != before
    assert hash_client_address("not an address") == ""


def test_subnets_are_fixed_width_so_a_cidr_range_is_a_string_range():
    assert subnet_of("192.0.2.200") == "4:c0000200"
    lo, hi = cidr_to_subnet_range("192.0.0.0/22")
    assert (lo, hi) == ("4:c0000000", "4:c0000300")
    assert lo <= subnet_of("192.0.2.9") <= hi
    assert not lo <= subnet_of("192.0.4.1") <= hi
    assert cidr_to_subnet_range("2001:db8::/48") == ("6:20010db800000000", "6:20010db80000ffff")
    # Narrower than the stored grain: widens to the /24 it lies in.
    assert cidr_to_subnet_range("192.0.2.16/28") == ("4:c0000200", "4:c0000200")
    with pytest.raises(ValueError):
        cidr_to_subnet_range("192.0.2.999/24")
