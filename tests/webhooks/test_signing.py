"""The signature scheme, checked against the Standard Webhooks reference test vector (the one
the reference libraries test with: standard-webhooks/standard-webhooks, libraries/*/tests),
and computed once more independently from the spec's text."""

from __future__ import annotations

import base64
import hashlib
import hmac

import pytest

from undersigned.webhooks import signing

# The reference libraries' vector (e.g. libraries/python/tests, libraries/php/tests).
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
MESSAGE_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
TIMESTAMP = 1614265330
BODY = b'{"test": 2432232314}'
EXPECTED = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_our_signature_is_the_reference_vectors():
    assert signing.sign(SECRET, MESSAGE_ID, TIMESTAMP, BODY) == EXPECTED


def test_the_vector_follows_from_the_specs_text():
    """ "{msg_id}.{timestamp}.{payload}", HMAC-SHA256 keyed with the base64 after whsec_,
    base64 of the digest after "v1," — written out here without our module."""
    key = base64.b64decode(SECRET.split("_", 1)[1])
    content = f"{MESSAGE_ID}.{TIMESTAMP}.".encode() + BODY
    digest = hmac.new(key, content, hashlib.sha256).digest()
    assert "v1," + base64.b64encode(digest).decode() == EXPECTED


def test_a_receiver_accepts_it_within_the_tolerance_and_refuses_a_replay():
    headers = signing.headers([SECRET], MESSAGE_ID, TIMESTAMP, BODY)
    assert signing.verify(SECRET, headers, BODY, now=TIMESTAMP + 60)
    assert not signing.verify(SECRET, headers, BODY, now=TIMESTAMP + 3600)


def test_a_changed_body_or_another_secret_is_refused():
    headers = signing.headers([SECRET], MESSAGE_ID, TIMESTAMP, BODY)
    assert not signing.verify(SECRET, headers, BODY + b" ", now=TIMESTAMP)
    assert not signing.verify(signing.new_secret(), headers, BODY, now=TIMESTAMP)


def test_during_a_rotation_both_secrets_sign_and_either_verifies():
    new = signing.new_secret()
    headers = signing.headers([new, SECRET], MESSAGE_ID, TIMESTAMP, BODY)
    assert len(headers["webhook-signature"].split(" ")) == 2
    assert signing.verify(SECRET, headers, BODY, now=TIMESTAMP)
    assert signing.verify(new, headers, BODY, now=TIMESTAMP)


def test_new_secrets_are_32_random_bytes_in_the_whsec_form():
    one, two = signing.new_secret(), signing.new_secret()
    assert one.startswith("whsec_") and one != two
    assert len(base64.b64decode(one.removeprefix("whsec_"))) == 32


@pytest.mark.parametrize("document", ["docs/integrations.md", "README.md"])
def test_the_five_lines_in_the_docs_verify_a_real_delivery(document):
    """The snippet a CRM developer copies from the README or docs/integrations.md, run as
    written."""
    import re
    import time
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / document).read_text()
    found = re.search(r"```python\n(import base64.*?)```", doc, re.DOTALL)
    assert found is not None, f"{document} has no verification snippet"
    snippet = found.group(1)
    namespace: dict = {}
    exec(snippet, namespace)  # noqa: S102 - our own documentation
    secret, now = signing.new_secret(), int(time.time())
    headers = signing.headers([signing.new_secret(), secret], "msg_x", now, BODY)
    assert namespace["verify"](secret, headers, BODY)
    assert not namespace["verify"](secret, headers, BODY + b" ")
    stale = signing.headers([secret], "msg_x", now - 3600, BODY)
    assert not namespace["verify"](secret, stale, BODY)
