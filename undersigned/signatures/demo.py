"""Synthetic signatures for the demo (`undersigned demo --signatures N`, DEBUG only).

Clearly fake — "Demo Signer 1234" at demo-signer-1234@example.invalid (RFC 2606: a domain that
can never receive mail), no updates wanted, no network data — and spread over the petition's
life and across countries, so the page, the dashboard, the history, the map and the
milestones show real-looking numbers. Idempotent: signer k is always the same row; running
it again with the same N changes nothing, with a smaller N removes the surplus.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from undersigned.petitions.models import Milestone, Petition
from undersigned.signatures.models import Signature
from undersigned.signatures.services import recount_petition

DEMO_DOMAIN = "example.invalid"
BATCH = 2_000
# Where the demo's supporters are, roughly as an international campaign's would be.
COUNTRIES = (
    ("GB", 16), ("US", 14), ("DE", 12), ("AU", 10), ("FR", 7), ("ES", 6), ("IT", 5),
    ("MX", 4), ("BR", 4), ("CA", 4), ("NL", 3), ("SE", 3), ("AR", 3), ("EC", 3), ("IE", 2),
    ("CH", 2), ("AT", 2), ("BE", 2), ("NZ", 2), ("CO", 1), ("CL", 1), ("PL", 1), ("IN", 1),
)  # fmt: skip
LANGUAGES = (("en", 6), ("de", 2), ("es", 2))


def demo_email(n: int) -> str:
    return f"demo-signer-{n}@{DEMO_DOMAIN}"


def add_demo_signatures(petition: Petition, n: int, now: datetime | None = None) -> int:
    """Make the petition's demo signers exactly signers 1…n (confirmed, counted) and rebuild
    its counts and history from the rows; returns how many rows were added."""
    now = now or timezone.now()
    demo = Signature.objects.filter(petition=petition, email_domain=DEMO_DOMAIN)
    with transaction.atomic():
        existing = set(demo.values_list("email_normalised", flat=True))
        wanted = {demo_email(k): k for k in range(1, n + 1)}
        surplus = sorted(existing - wanted.keys())
        for first in range(0, len(surplus), BATCH):
            demo.filter(email_normalised__in=surplus[first : first + BATCH]).delete()
        missing = [k for email, k in wanted.items() if email not in existing]
        start, span = petition.opens_at, max(now - petition.opens_at, timedelta(hours=1))
        countries, country_weights = [c for c, _w in COUNTRIES], [w for _c, w in COUNTRIES]
        languages, language_weights = [c for c, _w in LANGUAGES], [w for _c, w in LANGUAGES]
        for first in range(0, len(missing), BATCH):
            rows = []
            for k in missing[first : first + BATCH]:
                pick = random.Random(k)  # noqa: S311 - demo data, the same every run
                confirmed = start + span * _when(pick.random())
                rows.append(
                    Signature(
                        petition=petition, name=f"Demo Signer {k}", email=demo_email(k),
                        email_normalised=demo_email(k), email_domain=DEMO_DOMAIN,
                        country=pick.choices(countries, country_weights)[0],
                        language=pick.choices(languages, language_weights)[0],
                        confirmed_at=confirmed, counted=True,
                        confirmation_key=f"demo-{petition.pk}-{k}",
                        confirmation_expires_at=confirmed,
                    )
                )  # fmt: skip
            Signature.objects.bulk_create(rows)
        # Signed a few minutes before confirming (insertion set created_at to now).
        demo.filter(created_at__gt=F("confirmed_at")).update(
            created_at=F("confirmed_at") - timedelta(minutes=7)
        )
        _cross_milestones_when_they_were_reached(petition)
        recount_petition(petition.pk)
    return len(missing)


def _when(u: float) -> float:
    """Where in the petition's life a signature falls (0 = opening, 1 = now): a launch surge,
    a long quiet middle and a campaign that picks up towards the end."""
    if u < 0.2:
        return (u / 0.2) ** 2 * 0.05  # the first 5% of its life: a fifth of the signatures
    if u < 0.5:
        return 0.05 + (u - 0.2) / 0.3 * 0.65
    return 0.7 + ((u - 0.5) / 0.5) ** 0.7 * 0.3


def _cross_milestones_when_they_were_reached(petition: Petition) -> None:
    """Demo milestones get the date the k-th demo signature was confirmed (not today's)."""
    confirmed = (
        Signature.objects.filter(petition=petition, counted=True)
        .counting()
        .order_by("confirmed_at")
        .values_list("confirmed_at", flat=True)
    )
    for milestone in Milestone.objects.filter(petition=petition, crossed_at__isnull=True):
        threshold = milestone.threshold(petition.goal)
        reached = list(confirmed[threshold - 1 : threshold])
        if reached:
            Milestone.objects.filter(pk=milestone.pk, crossed_at__isnull=True).update(
                crossed_at=reached[0]
            )
