"""A signature's state has one set of words (signatures/querysets.py), each with one meaning,
and no query spells the conditions out again."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.utils import timezone

from tests.factories import make_petition, make_signature, pending
from undersigned.signatures.models import HeldReason, Signature

PACKAGE = Path(__file__).resolve().parents[2] / "undersigned"
THE_ONE_MODULE = PACKAGE / "signatures" / "querysets.py"
QUERYING = {"filter", "exclude", "Q", "When", "get", "Count"}


def _spelled_out(call: ast.Call) -> list[str]:
    """The state conditions this query call writes out by hand."""
    found = []
    for keyword in call.keywords:
        value = keyword.value
        literal = value.value if isinstance(value, ast.Constant) else ast.unparse(value)
        if (
            keyword.arg == "invalidated_at__isnull"
            or (keyword.arg == "confirmed_at__isnull" and literal is False)
            or (keyword.arg == "held_reason" and literal in ("", "HeldReason.NONE"))
            or (keyword.arg == "updates_opt_in" and literal is True)
        ):
            found.append(ast.unparse(keyword))
    return found


def test_the_state_conditions_are_written_only_in_the_queryset_module():
    copies = []
    for path in PACKAGE.rglob("*.py"):
        if "migrations" in path.parts or path == THE_ONE_MODULE:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name in QUERYING:
                copies += [f"{path.relative_to(PACKAGE)}:{node.lineno} {c}"
                           for c in _spelled_out(node)]  # fmt: skip
    assert copies == []


@pytest.mark.django_db
def test_each_word_means_one_thing():
    petition = make_petition()
    now = timezone.now()
    counts = make_signature(petition, updates_opt_in=True)
    quiet = make_signature(petition)
    waiting = make_signature(petition, updates_opt_in=True, **pending())
    held = make_signature(petition, held_reason=HeldReason.SUBNET_RATE)
    invalid = make_signature(petition, updates_opt_in=True, invalidated_at=now)

    def ids(rows) -> set[int]:
        return set(rows.values_list("pk", flat=True))

    rows = Signature.objects.filter(petition=petition)
    assert ids(rows.valid()) == {counts.pk, quiet.pk, waiting.pk, held.pk}
    assert ids(rows.held()) == {held.pk}
    assert ids(rows.counting()) == {counts.pk, quiet.pk}
    assert ids(rows.to_count()) == {counts.pk, quiet.pk, invalid.pk}  # the job skips invalid
    assert ids(rows.opted_in()) == {counts.pk, waiting.pk, invalid.pk}
    assert ids(rows.subscribed()) == {counts.pk}
