"""One way to make every emailed link, and the links already in mailboxes keep working."""

from __future__ import annotations

import base64

import pytest
from django.utils.crypto import salted_hmac

from undersigned.core.linktoken import Kind, key_from, new_key, token_for

# The salts the per-app copies used before core/linktoken.py (signatures/tokens.py,
# privacy/my_data.py, proposals/tokens.py), written out: links sent with them are out there.
OLD_SALTS = {
    Kind.SIGNATURE_CONFIRMATION: "undersigned.signatures.confirmation",
    Kind.UNSUBSCRIBE: "undersigned.signatures.unsubscribe",
    Kind.PROPOSAL_CREATOR: "undersigned.proposals.creator",
    Kind.PROPOSAL_SPONSOR: "undersigned.proposals.sponsor",
    Kind.MY_DATA: "undersigned.privacy.my_data_link",
    # Kinds added since, pinned the same way once their links are out there.
    Kind.DEBATE_CONTRIBUTION: "undersigned.debates.contribution",
}


def old_token(salt: str, key: str) -> str:
    """The old copies' formula: key, a dot, 22 characters of URL-safe base64 of the HMAC."""
    digest = salted_hmac(salt, key, algorithm="sha256").digest()
    return f"{key}.{base64.urlsafe_b64encode(digest).decode('ascii')[:22]}"


@pytest.mark.parametrize("kind", list(Kind))
def test_a_link_made_by_the_old_code_still_opens(kind):
    key = new_key()
    token = old_token(OLD_SALTS[kind], key)
    assert key_from(kind, token) == key
    assert token_for(kind, key) == token


def test_one_kind_of_link_never_passes_for_another():
    key = new_key()
    for made in Kind:
        for asked in Kind:
            assert (key_from(asked, token_for(made, key)) == key) is (made is asked)


@pytest.mark.parametrize(
    "token", ["", "no-dot", ".mac-only", "key.", "key.wrong-mac-0123456789ab", "x" * 81]
)
def test_a_forged_or_malformed_link_opens_nothing(token):
    assert all(key_from(kind, token) is None for kind in Kind)


def test_a_tampered_key_fails_its_mac():
    key = new_key()
    token = token_for(Kind.MY_DATA, key)
    assert key_from(Kind.MY_DATA, ("A" if token[0] != "A" else "B") + token[1:]) is None
