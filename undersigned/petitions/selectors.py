"""Reading petitions, and the rules for when a petition takes signatures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.cache import cache
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from undersigned.campaigns.models import Case
from undersigned.campaigns.permissions import Action, StaffUser, require
from undersigned.core.cache import InProcess
from undersigned.core.replica import reads_from_primary
from undersigned.petitions.models import (
    Milestone,
    MilestoneKind,
    Outcome,
    OutcomeChange,
    Petition,
    PetitionResponse,
    PetitionStatus,
    TrackedLink,
)

PUBLIC_PETITION_CACHE_SECONDS = 5
# A signer who signed just before closing may still confirm for this long afterwards.
CONFIRMATION_GRACE = timedelta(hours=24)


def public_petitions() -> QuerySet[Petition]:
    """Petitions the public may see: open or closed (never drafts), on published cases."""
    return Petition.objects.filter(
        status__in=[PetitionStatus.OPEN, PetitionStatus.CLOSED], case__is_published=True
    ).select_related("case")


@reads_from_primary  # fills the cache signing reads: never from a replica
def get_public_petition(slug: str) -> Petition:
    """The public petition with this slug (404 if none), from this process's memory while
    its version (`petition_changed_at`) is the one it was read at.

    Every sign and page request starts here; under a surge the lookup would otherwise be
    as costly as the signature's own INSERT, and unpickling a cached copy on each request
    cost a twentieth of a signature (docs/scaling.md). A change through services.py renews
    the version at once in this process and, with Redis, in all; otherwise within
    PUBLIC_PETITION_CACHE_SECONDS, as is a change that leaves the version alone (a case
    unpublished). The petition is shared by this process's requests: read it, never change it.
    """
    version = petition_changed_at(slug)
    held = _public_petitions.get(slug)
    if held is not None and held[0] == version:
        return held[1]
    try:
        petition = public_petitions().get(slug=slug)
    except Petition.DoesNotExist:
        raise Http404("No such petition") from None
    # The version read before the row: a newer row is kept under an older version, and read
    # again once the version moves; never the other way round.
    _public_petitions.set(slug, (version, petition))
    return petition


@reads_from_primary  # fills the cache signing reads: never from a replica
def petition_by_id(petition_id: int) -> Petition:
    """A petition (with its case) by id, from this process's memory for
    PUBLIC_PETITION_CACHE_SECONDS (a confirmation only needs its slug and dates)."""
    petition = _petitions_by_id.get(petition_id)
    if petition is None:
        petition = Petition.objects.select_related("case").get(pk=petition_id)
        _petitions_by_id.set(petition_id, petition)
    return petition


_public_petitions = InProcess(PUBLIC_PETITION_CACHE_SECONDS)
_petitions_by_id = InProcess(PUBLIC_PETITION_CACHE_SECONDS)


@reads_from_primary  # fills the cache signing reads: never from a replica
def petition_changed_at(slug: str) -> datetime | None:
    """When the petition (or a delivery on it) last changed; cached like the petition, so a
    cached page built from an older version is replaced within PUBLIC_PETITION_CACHE_SECONDS
    in every process."""
    key = petition_changed_cache_key(slug)
    changed_at = cache.get(key)
    if changed_at is None:
        changed_at = Petition.objects.filter(slug=slug).values_list("updated_at", flat=True).first()
        cache.set(key, changed_at, timeout=PUBLIC_PETITION_CACHE_SECONDS)
    return changed_at


def public_petition_cache_key(slug: str) -> str:
    return f"public-petition:{slug}"


def petition_changed_cache_key(slug: str) -> str:
    return f"petition-changed:{slug}"


def open_petitions() -> QuerySet[Petition]:
    now = timezone.now()
    return (
        public_petitions()
        .filter(status=PetitionStatus.OPEN, opens_at__lte=now)
        .exclude(closes_at__lte=now)
        .order_by("-opens_at")
    )


def petitions_on_case(case: Case) -> QuerySet[Petition]:
    return public_petitions().filter(case=case).order_by("-opens_at")


def accepts_signatures(petition: Petition, now: datetime | None = None) -> bool:
    """The one rule for "may someone sign this petition now?"."""
    now = now or timezone.now()
    return (
        petition.status == PetitionStatus.OPEN
        and petition.opens_at <= now
        and (petition.closes_at is None or now < petition.closes_at)
    )


def accepts_confirmations(petition: Petition, now: datetime | None = None) -> bool:
    """Confirmations are taken while open and for CONFIRMATION_GRACE after closing."""
    now = now or timezone.now()
    if petition.status == PetitionStatus.DRAFT:
        return False
    return petition.closes_at is None or now < petition.closes_at + CONFIRMATION_GRACE


def confirmation_deadline(petition: Petition, signed_at: datetime, lifetime: timedelta) -> datetime:
    """When a confirmation link made at `signed_at` expires."""
    deadline = signed_at + lifetime
    if petition.closes_at is not None:
        deadline = min(deadline, petition.closes_at + CONFIRMATION_GRACE)
    return deadline


def petition_for_staff(user: StaffUser, slug: str, action: Action) -> Petition:
    """The petition (drafts too), if `user` may do `action` on it: 404 when it belongs to
    another organisation (or does not exist), 403 when the user's role lacks the right.
    Every staff page on a petition starts here."""
    petition = (
        Petition.objects.select_related("case", "case__organisation").filter(slug=slug).first()
    )
    if petition is None:
        raise Http404("No such petition")
    require(user, action, petition.case.organisation)
    return petition


@dataclass(frozen=True)
class MilestoneView:
    threshold: int
    is_goal: bool
    note: str
    crossed_at: datetime | None


@dataclass(frozen=True)
class OutcomeView:
    """What the public sees of a petition's second half: milestones, response, outcome."""

    outcome: str
    outcome_label: str
    milestones: list[MilestoneView]
    response: PetitionResponse | None
    changes: list[OutcomeChange]

    @property
    def crossed(self) -> list[MilestoneView]:
        return [m for m in self.milestones if m.crossed_at is not None]

    @property
    def next_milestone(self) -> MilestoneView | None:
        return next((m for m in self.milestones if m.crossed_at is None), None)

    @property
    def won(self) -> bool:
        return self.outcome == Outcome.WON


def outcome_view(petition: Petition) -> OutcomeView:
    """Milestones in order of their threshold (the goal's counts as the goal), the response
    and the dated outcome history; note and response in the active language."""
    milestones = sorted(
        (
            MilestoneView(m.threshold(petition.goal), m.kind == MilestoneKind.GOAL, m.note,
                          m.crossed_at)
            for m in Milestone.objects.filter(petition=petition)
        ),
        key=lambda m: (m.threshold, m.is_goal),
    )  # fmt: skip
    return OutcomeView(
        outcome=petition.outcome,
        outcome_label=str(dict(Outcome.choices)[petition.outcome]),
        milestones=milestones,
        response=PetitionResponse.objects.filter(petition=petition).first(),
        changes=list(OutcomeChange.objects.filter(petition=petition)),
    )


def tracked_links_of(petition: Petition) -> QuerySet[TrackedLink]:
    return TrackedLink.objects.filter(petition=petition).order_by("code")


def tracked_link_petition(code: str) -> Petition:
    """The public petition a tracked link leads to (404 for an unknown code or a petition
    the public cannot see)."""
    slug = TrackedLink.objects.filter(code=code).values_list("petition__slug", flat=True).first()
    if slug is None:
        raise Http404("No such link")
    return get_public_petition(slug)
