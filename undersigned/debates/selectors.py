"""Reading debates: the public page's data, the moderators' queue, the version the cache
compares. Permissions are asked of campaigns/permissions.py, never decided here."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from undersigned.campaigns.models import Case
from undersigned.campaigns.permissions import (
    Action,
    StaffUser,
    organisations_of,
    require,
    require_somewhere,
)
from undersigned.debates.models import Argument, ArgumentTally, Debate, Side, Stance, StanceTally
from undersigned.debates.states import ArgumentState

VERSION_CACHE_SECONDS = 3  # how stale a cached page may be after an argument or tally moved


def public_debates() -> QuerySet[Debate]:
    return Debate.objects.filter(case__is_published=True, opens_at__lte=timezone.now())


def debates_of(case: Case) -> list[Debate]:
    return list(public_debates().filter(case=case).order_by("-opens_at"))


def get_public_debate(case_slug: str, slug: str) -> Debate:
    if len(case_slug) > 100 or len(slug) > 100:
        raise Http404("No such debate")
    debate = public_debates().select_related("case").filter(case__slug=case_slug, slug=slug).first()
    if debate is None:
        raise Http404("No such debate")
    return debate


def debate_version(case_slug: str, slug: str) -> int | None:
    """The debate's `version`, cached a few seconds: what a cached page is compared with."""
    key = f"debate-version:{case_slug}:{slug}"
    version = cache.get(key)
    if version is None:
        version = (
            Debate.objects.filter(case__slug=case_slug, slug=slug)
            .values_list("version", flat=True)
            .first()
        )
        cache.set(key, version, timeout=VERSION_CACHE_SECONDS)
    return version


def published_argument(debate: Debate, argument_id: int) -> Argument:
    argument = (
        Argument.objects.select_related("debate__case")
        .filter(pk=argument_id, debate=debate, state=ArgumentState.PUBLISHED)
        .first()
    )
    if argument is None:
        raise Http404("No such argument")
    return argument


@dataclass
class ShownArgument:
    argument: Argument
    convinced: int
    readers: int
    score: float
    rebuttals: list[ShownArgument] = field(default_factory=list)

    @property
    def percent(self) -> int:
        """Of the readers who voted in the debate since it appeared, how many it convinced."""
        return round(100 * self.convinced / self.readers) if self.readers else 0


@dataclass
class StanceResult:
    answer: str
    label: str
    count: int
    percent: int


@dataclass
class DebatePage:
    debate: Debate
    sides: dict[str, list[ShownArgument]]
    interleaved: list[ShownArgument]
    stance: list[StanceResult]
    stance_total: int
    is_open: bool


def _shown(argument: Argument) -> ShownArgument:
    tally: ArgumentTally | None = getattr(argument, "tally", None)
    if tally is None:
        return ShownArgument(argument, 0, 0, 0.0)
    return ShownArgument(argument, tally.convinced, tally.readers, tally.score)


def _ranked(items: list[ShownArgument]) -> list[ShownArgument]:
    return sorted(items, key=lambda s: (-s.score, s.argument.published_at or s.argument.created_at))


def debate_page(debate: Debate) -> DebatePage:
    """What the public page shows: published arguments per side by score, each with its
    published rebuttals under it, and the stance poll's totals."""
    published = Argument.objects.filter(debate=debate, state=ArgumentState.PUBLISHED)
    rows = list(
        published.select_related("tally").prefetch_related("sources").order_by("published_at", "id")
    )
    shown = {row.pk: _shown(row) for row in rows}
    for row in rows:
        if row.replies_to_id in shown:
            shown[row.replies_to_id].rebuttals.append(shown[row.pk])
    top = [shown[row.pk] for row in rows if row.replies_to_id is None]
    sides = {side: _ranked([s for s in top if s.argument.side == side]) for side in Side.values}
    for item in top:
        item.rebuttals = _ranked(item.rebuttals)
    interleaved = [
        item
        for pair in zip_longest_pairs(sides[Side.FOR], sides[Side.AGAINST])
        for item in pair
        if item is not None
    ]
    counts = dict(StanceTally.objects.filter(debate=debate).values_list("answer", "count"))
    total = sum(counts.values())
    stance = [
        StanceResult(value, str(label), counts.get(value, 0),
                     round(100 * counts.get(value, 0) / total) if total else 0)
        for value, label in Stance.choices
    ]  # fmt: skip
    return DebatePage(debate, sides, interleaved, stance, total, debate.is_open())


def zip_longest_pairs(
    left: list[ShownArgument], right: list[ShownArgument]
) -> list[tuple[ShownArgument | None, ShownArgument | None]]:
    from itertools import zip_longest

    return list(zip_longest(left, right))


# -- the moderators' side ---------------------------------------------------------------------


def moderation_queue(user: StaffUser) -> QuerySet[Argument]:
    """Contributions confirmed by their writers, waiting in the user's organisations; held
    ones (too fast, no browser check) last, with their reason shown."""
    require_somewhere(user, Action.MODERATE)
    allowed = organisations_of(user, Action.MODERATE)
    return (
        Argument.objects.filter(
            state=ArgumentState.CONFIRMED, debate__case__organisation__in=allowed
        )
        .select_related("debate__case")
        .prefetch_related(Prefetch("sources"))
        .order_by("held_reason", "updated_at")
    )


def argument_for_moderator(user: StaffUser, argument_id: int) -> Argument:
    """404 for another organisation's argument (and for one not from the public), 403 for a
    member whose role may not moderate."""
    argument = (
        Argument.objects.select_related("debate__case__organisation", "replies_to")
        .prefetch_related("sources")
        .filter(pk=argument_id)
        .exclude(state=ArgumentState.SUBMITTED)  # not yet confirmed by its writer
        .first()
    )
    if argument is None:
        raise Http404("No such argument")
    require(user, Action.MODERATE, argument.debate.case.organisation)
    return argument


def debate_for_editor(user: StaffUser, debate_id: int) -> Debate:
    debate = Debate.objects.select_related("case__organisation").filter(pk=debate_id).first()
    if debate is None:
        raise Http404("No such debate")
    require(user, Action.EDIT_CONTENT, debate.case.organisation)
    return debate
