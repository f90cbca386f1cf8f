"""Rate limits: over a limit a signature is stored but held, and the signer sees no difference."""

from __future__ import annotations

import os
import time
import uuid

import pytest
import time_machine

from tests.factories import make_petition
from tests.limits import set_limit
from tests.signatures.abuse_helpers import confirm_all_and_count, post_sign, public_count
from undersigned.core.ratelimit import limit
from undersigned.signatures.models import HeldReason, Signature

pytestmark = pytest.mark.django_db


def test_100_signatures_from_one_address_leave_at_most_the_limit_counted(client, settings):
    set_limit(settings, "sign_flood", 1000)  # the flood ceiling is another test's subject
    petition = make_petition()
    answers = {
        (response.status_code, response["Location"])
        for response in (post_sign(client, petition, email=f"s{i}@gmail.com") for i in range(100))
    }
    assert answers == {(303, f"/petitions/{petition.slug}/check-your-email/")}
    assert Signature.objects.count() == 100

    confirm_all_and_count()

    assert public_count(client, petition) <= limit("hold_address_minute").at_most
    assert Signature.objects.filter(held_reason=HeldReason.ADDRESS_RATE).count() >= 99


def test_an_address_is_held_past_its_burst_and_past_its_sustained_limit(client, settings):
    set_limit(settings, "hold_address_minute", 3)
    petition = make_petition()
    window_start = (int(time.time()) // 300 + 2) * 300  # the start of a five-minute window
    with time_machine.travel(window_start, tick=False) as traveller:
        for i in range(4):  # four in its first minute: the fourth is over the burst
            post_sign(client, petition, email=f"m{i}@gmail.com")
        traveller.shift(60)
        for i in range(4, 6):  # the sixth in five minutes is over the sustained limit
            post_sign(client, petition, email=f"m{i}@gmail.com")
    held = list(Signature.objects.order_by("id").values_list("held_reason", flat=True))
    address = HeldReason.ADDRESS_RATE
    assert held == ["", "", "", address, "", address]


def test_many_addresses_of_one_network_are_held_past_the_subnet_limit(client, settings):
    set_limit(settings, "hold_subnet", 3)
    petition = make_petition()
    for i in range(5):
        post_sign(client, petition, {"REMOTE_ADDR": f"198.51.100.{i + 1}"}, email=f"n{i}@gmail.com")
    post_sign(client, petition, {"REMOTE_ADDR": "198.51.101.1"}, email="other@gmail.com")
    held = list(Signature.objects.order_by("id").values_list("held_reason", flat=True))
    assert held == ["", "", "", HeldReason.SUBNET_RATE, HeldReason.SUBNET_RATE, ""]


def test_one_email_domain_is_held_past_its_hourly_limit_but_free_mail_is_exempt(client, settings):
    set_limit(settings, "hold_domain", 2)
    petition = make_petition()
    for i in range(3):
        post_sign(client, petition, {"REMOTE_ADDR": f"192.0.2.{i + 1}"}, email=f"x{i}@corp.example")
        post_sign(client, petition, {"REMOTE_ADDR": f"203.0.113.{i + 1}"}, email=f"y{i}@gmail.com")
    held = dict(Signature.objects.values_list("email", "held_reason"))
    assert held["x2@corp.example"] == HeldReason.DOMAIN_RATE
    assert [held[f"x{i}@corp.example"] for i in range(2)] == ["", ""]
    assert {held[f"y{i}@gmail.com"] for i in range(3)} == {""}


def test_limits_are_per_petition(client):
    first, second = make_petition(), make_petition()
    post_sign(client, first, email="a@gmail.com")
    post_sign(client, second, email="a@gmail.com")
    assert set(Signature.objects.values_list("held_reason", flat=True)) == {""}


def test_a_limit_set_to_zero_is_off(client, settings):
    set_limit(settings, "hold_address_minute", 0)
    set_limit(settings, "hold_address_5_minutes", 0)
    petition = make_petition()
    for i in range(4):
        post_sign(client, petition, email=f"z{i}@gmail.com")
    assert set(Signature.objects.values_list("held_reason", flat=True)) == {""}


def test_the_flood_ceiling_still_refuses_with_429(client, settings):
    set_limit(settings, "sign_flood", 3)
    petition = make_petition()
    codes = [post_sign(client, petition, email=f"f{i}@gmail.com").status_code for i in range(4)]
    assert codes == [303, 303, 303, 429]
    assert Signature.objects.count() == 3


def test_confirmation_resends_per_hour_come_from_the_environment(monkeypatch):
    from undersigned.config.env import env_int

    monkeypatch.setenv("CONFIRMATION_RESENDS_PER_HOUR", "7")
    assert env_int("CONFIRMATION_RESENDS_PER_HOUR", 3, minimum=0) == 7


def test_on_redis_the_counters_agree_with_the_portable_way(settings):
    import redis

    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/14").ping()
    except redis.exceptions.ConnectionError:
        # The machine (and CI) runs Redis; only a developer's laptop may lack it.
        if os.environ.get("CI"):
            raise
        pytest.skip("no Redis on 127.0.0.1:6379 (redis-server); CI fails here instead")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/14",
            "KEY_PREFIX": f"test-limits-{uuid.uuid4().hex}",
        }
    }
    from undersigned.signatures.limits import exceeded

    reasons = [
        exceeded(1, client_hash="h", client_subnet="4:c0000200", email_domain="gmail.com")
        for _ in range(2)
    ]
    assert reasons == [HeldReason.NONE, HeldReason.ADDRESS_RATE]
    ttl = redis.Redis.from_url("redis://127.0.0.1:6379/14").ttl
    keys = redis.Redis.from_url("redis://127.0.0.1:6379/14").keys(
        f"{settings.CACHES['default']['KEY_PREFIX']}*"
    )
    assert len(keys) == 3 and all(0 < ttl(key) <= 600 for key in keys)
