"""Counting readers' verdicts: the worker's incremental tally, the exact recount, the score.

Like the signature counter (signatures/services.py: count_new_confirmations), each vote is
marked `counted` in the same transaction that adds it, so it is counted exactly once however
many workers run this; one UPDATE per argument (or per stance answer) per batch.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, F, QuerySet

from undersigned.debates.models import (
    Argument,
    ArgumentTally,
    Debate,
    StanceAnswer,
    StanceTally,
    Vote,
)
from undersigned.debates.states import ArgumentState

Z_95 = 1.959964  # the normal quantile of a two-sided 95% interval


def wilson_lower_bound(positive: int, total: int, z: float = Z_95) -> float:
    """The lower end of the Wilson score interval for `positive` out of `total`.

    Why this score orders the arguments: ordering by the number of "this convinced me"
    would let the arguments published first win for ever — they had the most readers. The
    score is a share instead: of the readers who voted anywhere in the debate since the
    argument appeared (`readers`), how many it convinced. Readers who came before it was
    published are not held against it, so a late argument competes on equal terms. The raw
    share would put 1 vote out of 1 reader above 80 out of 100; the Wilson lower bound is the
    share we are 95% sure the argument reaches, so few readers means a low, cautious score
    that rises as evidence comes in (CONSUL's confidence score; E. Miller, "How not to sort by
    average rating", 2009). Wilson, E. B. (1927), J. Am. Stat. Assoc. 22: 209-212.
    """
    if total <= 0:
        return 0.0
    positive = min(positive, total)
    share = positive / total
    z2 = z * z
    centre = share + z2 / (2 * total)
    margin = z * math.sqrt((share * (1 - share) + z2 / (4 * total)) / total)
    return max(0.0, (centre - margin) / (1 + z2 / total))


def _take_batch(model: type, batch_size: int) -> list[int]:
    rows: QuerySet = model._default_manager.filter(counted=False)  # type: ignore[attr-defined]
    return list(
        rows.order_by("id")
        .select_for_update(skip_locked=True)
        .values_list("id", flat=True)[:batch_size]
    )


def tally_new_votes(batch_size: int = 5000) -> int:
    """Add new votes and stance answers to the tallies; how many rows were taken.

    Held rows (over the rate limit) are marked counted without being added.
    """
    with transaction.atomic():
        vote_ids = _take_batch(Vote, batch_size)
        answer_ids = _take_batch(StanceAnswer, batch_size)
        if not vote_ids and not answer_ids:
            return 0
        debates: set[int] = set()
        votes = (
            Vote.objects.filter(id__in=vote_ids, held=False)
            .values("argument_id", "argument__debate_id")
            .annotate(n=Count("id"))
            .order_by("argument_id")
        )
        for group in votes:
            _add(ArgumentTally, {"argument_id": group["argument_id"]}, "convinced", group["n"])
            debates.add(group["argument__debate_id"])
        answers = (
            StanceAnswer.objects.filter(id__in=answer_ids, held=False)
            .values("debate_id", "answer")
            .annotate(n=Count("id"))
            .order_by("debate_id", "answer")
        )
        for stance in answers:
            lookup = {"debate_id": stance["debate_id"], "answer": stance["answer"]}
            _add(StanceTally, lookup, "count", stance["n"])
            debates.add(stance["debate_id"])
        Vote.objects.filter(id__in=vote_ids).update(counted=True)
        StanceAnswer.objects.filter(id__in=answer_ids).update(counted=True)
        rescore(debates)
    return len(vote_ids) + len(answer_ids)


def _add(model: type, lookup: dict, field: str, delta: int) -> None:
    manager = model._default_manager  # type: ignore[attr-defined]
    if not manager.filter(**lookup).update(**{field: F(field) + delta}):
        manager.create(**lookup, **{field: delta})


def _readers_since(argument: Argument) -> int:
    """Distinct voters (keyed hash of address and day) in the debate since it was published."""
    since = argument.published_at or argument.created_at
    votes = Vote.objects.filter(
        argument__debate_id=argument.debate_id, held=False, counted=True, created_at__gte=since
    ).values("voter")
    answers = StanceAnswer.objects.filter(
        debate_id=argument.debate_id, held=False, counted=True, created_at__gte=since
    ).values("voter")
    return votes.union(answers).count()


def rescore(debate_ids: Iterable[int]) -> None:
    """Each published argument's readers and score, from the counted rows; the page moves."""
    for debate_id in sorted(set(debate_ids)):
        arguments = Argument.objects.filter(debate_id=debate_id, state=ArgumentState.PUBLISHED)
        for argument in arguments:
            tally, _ = ArgumentTally.objects.get_or_create(argument=argument)
            readers = max(_readers_since(argument), tally.convinced)
            score = wilson_lower_bound(tally.convinced, readers)
            ArgumentTally.objects.filter(pk=argument.pk).update(readers=readers, score=score)
        Debate.objects.filter(pk=debate_id).update(version=F("version") + 1)


def recount_debate(debate_id: int) -> None:
    """Rebuild a debate's tallies exactly from its counted rows (reconciliation)."""
    with transaction.atomic():
        list(Debate.objects.filter(pk=debate_id).select_for_update().values_list("id"))
        convinced = dict(
            Vote.objects.filter(argument__debate_id=debate_id, counted=True, held=False)
            .values("argument_id")
            .annotate(n=Count("id"))
            .values_list("argument_id", "n")
        )
        published = Argument.objects.filter(debate_id=debate_id, state=ArgumentState.PUBLISHED)
        for argument_id in published.values_list("id", flat=True):
            ArgumentTally.objects.update_or_create(
                argument_id=argument_id, defaults={"convinced": convinced.get(argument_id, 0)}
            )
        stances = dict(
            StanceAnswer.objects.filter(debate_id=debate_id, counted=True, held=False)
            .values("answer")
            .annotate(n=Count("id"))
            .values_list("answer", "n")
        )
        StanceTally.objects.filter(debate_id=debate_id).exclude(answer__in=stances).delete()
        for answer, n in stances.items():
            StanceTally.objects.update_or_create(
                debate_id=debate_id, answer=answer, defaults={"count": n}
            )
        rescore([debate_id])
