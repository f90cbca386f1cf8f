"""When two email addresses are the same signer, and when they are the same mailbox.

Two questions, two answers. "Has this person signed already?" is generous (`normalise_email`:
case, +tags and Gmail dots ignored), so nobody signs twice by spelling their address
differently. "May the reader of this mailbox see that signature?" is strict (`mailbox`,
`stored_under`): only the exact address, since receiving mail at `victim+x@…` or `Victim@…`
proves nothing about `victim@…` on every mail system (Gmail, which documents the equivalence,
excepted).
"""

from __future__ import annotations

import contextlib
from typing import Any

import idna
from django.db.models import QuerySet

# Mailboxes that ignore dots in the local part, mapped to one canonical domain.
_DOTLESS_MAILBOX_DOMAINS = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}


def normalise_email(address: str) -> str:
    """The key under which one person signs a petition once.

    Lower-cases the address (providers treat local parts case-insensitively in practice),
    encodes an international domain as punycode, drops a `+tag`, and for Gmail drops dots.
    `Jane.Doe+news@GMAIL.com` and `janedoe@googlemail.com` both become `janedoe@gmail.com`.
    """
    local, _, domain = address.strip().rpartition("@")
    domain = _ascii_domain(domain)
    local = local.lower().split("+", 1)[0]
    if domain in _DOTLESS_MAILBOX_DOMAINS:
        local = local.replace(".", "")
        domain = _DOTLESS_MAILBOX_DOMAINS[domain]
    return f"{local}@{domain}"


def _ascii_domain(domain: str) -> str:
    """Lower case and punycode. Already validated as an address; if IDNA still objects, the
    lower-cased form."""
    domain = domain.rstrip(".").lower()
    if domain.isascii():
        # IDNA maps ASCII only by lower-casing it, and either accepts such a domain as it is
        # or refuses it (which leaves the lower-cased form too): the same answer, without
        # the cost of asking on every signature (tests/signatures/test_normalise.py).
        return domain
    with contextlib.suppress(idna.IDNAError):
        domain = idna.encode(domain, uts46=True).decode("ascii")
    return domain


def mailbox(address: str) -> str:
    """The address as one mailbox: the local part exactly as typed, the domain in lower case
    and punycode (domains are case-insensitive; a local part may not be, RFC 5321 §2.4).

    Gmail is the exception we know for certain: Google documents that case, dots and a
    `+tag` reach the same mailbox, and googlemail.com is gmail.com, so there the normalised
    address is the mailbox.
    """
    local, _, domain = address.strip().rpartition("@")
    domain = _ascii_domain(domain)
    if domain in _DOTLESS_MAILBOX_DOMAINS:
        return normalise_email(address)
    return f"{local}@{domain}"


def stored_under[Q: QuerySet[Any]](rows: Q, address: str, field: str = "email") -> Q:
    """Those of `rows` (already narrowed by the normalised key, so few) whose `field` is this
    very mailbox."""
    wanted = mailbox(address)
    found = rows.values_list("pk", field)
    ids = [pk for pk, stored in found if stored and mailbox(stored) == wanted]
    return rows.filter(pk__in=ids)
