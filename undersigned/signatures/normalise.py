"""Deciding when two email addresses are the same signer."""

from __future__ import annotations

import contextlib

import idna

# Mailboxes that ignore dots in the local part, mapped to one canonical domain.
_DOTLESS_MAILBOX_DOMAINS = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}


def normalise_email(address: str) -> str:
    """The key under which one person signs a petition once.

    Lower-cases the address (providers treat local parts case-insensitively in practice),
    encodes an international domain as punycode, drops a `+tag`, and for Gmail drops dots.
    `Jane.Doe+news@GMAIL.com` and `janedoe@googlemail.com` both become `janedoe@gmail.com`.
    """
    local, _, domain = address.strip().rpartition("@")
    domain = domain.rstrip(".").lower()
    # Already validated as an address; if IDNA still objects, keep the lower-cased form.
    with contextlib.suppress(idna.IDNAError):
        domain = idna.encode(domain, uts46=True).decode("ascii")
    local = local.lower().split("+", 1)[0]
    if domain in _DOTLESS_MAILBOX_DOMAINS:
        local = local.replace(".", "")
        domain = _DOTLESS_MAILBOX_DOMAINS[domain]
    return f"{local}@{domain}"
