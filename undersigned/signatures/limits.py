"""One place decides whether a signature comes too fast: `exceeded(...)`.

The numbers are rows of the one table of limits (core/ratelimit.py), counted in the cache
by core/ratelimit.py in fixed windows, never in the database. Each request adds one to all
its counters in a single Redis round trip, so the check costs the same whatever it finds.
See docs/abuse.md for the defaults and why a signature over a limit is held rather than
refused.
"""

from __future__ import annotations

import hashlib

from django.conf import settings

from undersigned.core import ratelimit
from undersigned.signatures.email_checks import is_big_free_mail_provider
from undersigned.signatures.models import HeldReason

# Which hold each limit of the table means, in the order they are checked.
HOLDS = {
    "hold_address_minute": HeldReason.ADDRESS_RATE,
    "hold_address_5_minutes": HeldReason.ADDRESS_RATE,
    "hold_subnet": HeldReason.SUBNET_RATE,
    "hold_domain": HeldReason.DOMAIN_RATE,
}


def sign_rate_exceeded(client_ip: str) -> bool:
    """The flood ceiling ("sign_flood"): True when this address sent more sign requests this
    minute than allowed, on any petition. The request is then refused (429), the last resort
    against a flood that holding alone would let fill the database."""
    return ratelimit.over("sign_flood", client_ip)


def exceeded(
    petition_id: int | str,
    *,
    client_hash: str,
    client_subnet: str,
    email_domain: str,
    proved_work: bool = True,
) -> HeldReason:
    """Why this signature must be held back from the count, or HeldReason.NONE ("").

    Counts this attempt against every limit that applies, then checks in a fixed order —
    the address (burst, then sustained), its network, the email domain, and last whether
    the browser solved the proof of work — and names the first that fails. A limit set to
    0 is off. `petition_id` scopes the counters: a petition's id, or another form's own
    scope under the same limits (a debate's contributions pass "debate-<id>").
    """
    checks: list[tuple[str, str]] = []
    if client_hash:
        checks.append(("hold_address_minute", f"{petition_id}:{client_hash}"))
        checks.append(("hold_address_5_minutes", f"{petition_id}:{client_hash}"))
    if client_subnet:
        checks.append(("hold_subnet", f"{petition_id}:{client_subnet}"))
    if email_domain and not _exempt_domain(email_domain):
        checks.append(("hold_domain", f"{petition_id}:{_short(email_domain)}"))
    over = ratelimit.first_over(checks)
    if over is not None:
        return HOLDS[over]
    return HeldReason.NONE if proved_work else HeldReason.NO_PROOF_OF_WORK


def _exempt_domain(domain: str) -> bool:
    """The big free-mail providers are shared by millions of unrelated people: a per-domain
    limit on gmail.com would hold a real surge. Operators can add their own domains."""
    return is_big_free_mail_provider(domain) or domain in settings.SIGN_LIMIT_EXEMPT_DOMAINS


def _short(text: str) -> str:
    # Cache keys stay short whatever a domain's length (some caches refuse keys over 250).
    return text if len(text) <= 64 else hashlib.sha256(text.encode()).hexdigest()
