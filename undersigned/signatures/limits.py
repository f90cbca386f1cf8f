"""One place decides whether a signature comes too fast: `exceeded(...)`.

Counters live in the cache (Redis in production), never in the database, in fixed windows
(core/ratelimit.py). Each request adds one to all its counters in a single Redis round trip,
so the check costs the same whatever it finds. See docs/abuse.md for the defaults and why a
signature over a limit is held rather than refused.
"""

from __future__ import annotations

import hashlib

from django.conf import settings

from undersigned.core.ratelimit import count_hit, count_hits
from undersigned.signatures.email_checks import is_big_free_mail_provider
from undersigned.signatures.models import HeldReason

MINUTE = 60
FIVE_MINUTES = 5 * 60
TEN_MINUTES = 10 * 60
HOUR = 60 * 60


def sign_rate_exceeded(client_ip: str) -> bool:
    """The flood ceiling: True when this address sent more sign requests this minute than
    SIGNS_PER_IP_PER_MINUTE, on any petition. The request is then refused (429), the last
    resort against a flood that holding alone would let fill the database."""
    attempts = count_hit(f"sign-rate:{client_ip}", MINUTE)
    return attempts > settings.SIGNS_PER_IP_PER_MINUTE


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
    checks: list[tuple[HeldReason, int, str, int]] = []
    if client_hash:
        address = f"{petition_id}:{client_hash}"
        checks.append((HeldReason.ADDRESS_RATE, settings.SIGN_LIMIT_PER_ADDRESS_PER_MINUTE,
                       f"a1:{address}", MINUTE))  # fmt: skip
        checks.append((HeldReason.ADDRESS_RATE, settings.SIGN_LIMIT_PER_ADDRESS_PER_5_MINUTES,
                       f"a5:{address}", FIVE_MINUTES))  # fmt: skip
    if client_subnet:
        checks.append((HeldReason.SUBNET_RATE, settings.SIGN_LIMIT_PER_SUBNET_PER_10_MINUTES,
                       f"s:{petition_id}:{client_subnet}", TEN_MINUTES))  # fmt: skip
    if email_domain and not _exempt_domain(email_domain):
        checks.append((HeldReason.DOMAIN_RATE, settings.SIGN_LIMIT_PER_DOMAIN_PER_HOUR,
                       f"d:{petition_id}:{_short(email_domain)}", HOUR))  # fmt: skip
    checks = [check for check in checks if check[1] > 0]
    if checks:
        counts = count_hits([(f"sign-limit:{key}", seconds) for _, _, key, seconds in checks])
        for (reason, limit, _key, _seconds), count in zip(checks, counts, strict=True):
            if count > limit:
                return reason
    return HeldReason.NONE if proved_work else HeldReason.NO_PROOF_OF_WORK


def _exempt_domain(domain: str) -> bool:
    """The big free-mail providers are shared by millions of unrelated people: a per-domain
    limit on gmail.com would hold a real surge. Operators can add their own domains."""
    return is_big_free_mail_provider(domain) or domain in settings.SIGN_LIMIT_EXEMPT_DOMAINS


def _short(text: str) -> str:
    # Cache keys stay short whatever a domain's length (some caches refuse keys over 250).
    return text if len(text) <= 64 else hashlib.sha256(text.encode()).hexdigest()
