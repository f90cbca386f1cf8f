"""The words for a signature's state, one meaning each; every query that asks about the
state says it with these (a test, tests/signatures/test_one_queryset.py, keeps it so).

- valid: not invalidated — pending, confirmed or held. What moderation reviews and may still
  invalidate (moderation.selectors, signatures.invalidation).
- held: valid, and held back from the count until a moderator releases it (docs/abuse.md).
- counting: confirmed, valid and not held — the signatures the public count is made of, and
  the ones exports and the delivery document list (privacy.exports.selectors).
- to_count: confirmed, not held and not yet added by the counting job (it skips the
  invalidated ones when it adds them; services.count_new_confirmations).
- opted_in: ticked "send me updates" and has not unsubscribed since (unsubscribing clears it).
- never_confirmed: unconfirmed and never counted — what retention may purge.
- subscribed: opted in, confirmed and valid — who receives update emails (mailings) and
  whom a "while subscribed" retention policy keeps (privacy.retention).

The conditions are also Q objects, for aggregates (`Count(..., filter=COUNTING)`) and for
conditions built of several (retention).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

CONFIRMED = Q(confirmed_at__isnull=False)
UNCONFIRMED = Q(confirmed_at__isnull=True)
VALID = Q(invalidated_at__isnull=True)
INVALIDATED = Q(invalidated_at__isnull=False)
NOT_HELD = Q(held_reason="")
HELD = VALID & ~NOT_HELD
COUNTING = CONFIRMED & VALID & NOT_HELD
# Written as one Q: it is also the condition of the partial index the counting job reads.
TO_COUNT = Q(confirmed_at__isnull=False, counted=False, held_reason="")
# Unconfirmed and never counted: what retention may delete without changing a count.
NEVER_CONFIRMED = Q(confirmed_at__isnull=True, counted=False)
HAS_NETWORK_DATA = ~Q(client_subnet="") | ~Q(client_hash="")
OPTED_IN = Q(updates_opt_in=True)
SUBSCRIBED = OPTED_IN & CONFIRMED & VALID


class SignatureQuerySet(models.QuerySet):
    def valid(self) -> SignatureQuerySet:
        return self.filter(VALID)

    def held(self) -> SignatureQuerySet:
        return self.filter(HELD)

    def counting(self) -> SignatureQuerySet:
        return self.filter(COUNTING)

    def to_count(self) -> SignatureQuerySet:
        return self.filter(TO_COUNT)

    def opted_in(self) -> SignatureQuerySet:
        return self.filter(OPTED_IN)

    def subscribed(self) -> SignatureQuerySet:
        return self.filter(SUBSCRIBED)
