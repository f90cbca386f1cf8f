"""The rules of an argument and of closing: bad input gets a clear answer and changes nothing."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from tests.debates.helpers import SOURCE, add, editor_of, make_debate, submit
from undersigned.audit.models import AuditAction, AuditLogEntry
from undersigned.debates import services
from undersigned.debates.models import Argument, Debate, Source
from undersigned.debates.validation import ArgumentRefused, SourceInput

pytestmark = pytest.mark.django_db


def test_an_oversized_claim_is_refused_and_nothing_is_stored() -> None:
    debate = make_debate()
    with pytest.raises(ArgumentRefused, match="200 characters"):
        add(debate, claim="x" * 201)
    assert not Argument.objects.exists()


def test_a_missing_source_is_refused_where_the_debate_requires_one() -> None:
    debate = make_debate(sources_required=True)
    with pytest.raises(ArgumentRefused, match="source"):
        submit(debate, sources=[])
    assert not Argument.objects.exists()


def test_without_the_requirement_an_argument_may_have_no_source() -> None:
    debate = make_debate(sources_required=False)
    assert submit(debate, sources=[]).sources.count() == 0


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "/relative", "ftp://x.org/"],
)
def test_a_source_must_be_a_web_address(url: str) -> None:
    debate = make_debate()
    with pytest.raises(ArgumentRefused, match="https://"):
        add(debate, sources=[SourceInput(url, "A title")])
    assert not Source.objects.exists()


def test_a_source_shows_its_domain() -> None:
    argument = add(make_debate())
    assert argument.sources.get().domain == "ohchr.org"


def test_a_rebuttal_of_a_rebuttal_is_refused() -> None:
    debate = make_debate()
    argument = add(debate, "for")
    rebuttal = add(debate, "against", replies_to=argument)
    with pytest.raises(ArgumentRefused, match="another one"):
        add(debate, "for", replies_to=rebuttal)
    assert Argument.objects.count() == 2


def test_a_rebuttal_answers_the_other_side() -> None:
    debate = make_debate()
    argument = add(debate, "for")
    with pytest.raises(ArgumentRefused, match="other side"):
        add(debate, "for", replies_to=argument)


def test_closing_requires_a_conclusion() -> None:
    debate = make_debate()
    with pytest.raises(ArgumentRefused):
        services.close_debate(debate, "   ", acting_user=editor_of(debate))
    debate.refresh_from_db()
    assert debate.closed_at is None and not debate.is_closed()


def test_closing_with_a_conclusion_closes_and_is_audited() -> None:
    debate = make_debate()
    services.close_debate(debate, "Both sides agreed on one thing.", acting_user=editor_of(debate))
    debate.refresh_from_db()
    assert debate.is_closed() and debate.conclusion == "Both sides agreed on one thing."
    assert AuditLogEntry.objects.filter(action=AuditAction.DEBATE_CLOSED).count() == 1


def test_the_database_refuses_a_closed_debate_without_conclusion() -> None:
    debate = make_debate()
    with pytest.raises(IntegrityError), transaction.atomic():
        Debate.objects.filter(pk=debate.pk).update(closed_at=debate.opens_at)


def test_a_closed_debate_takes_no_contributions() -> None:
    debate = make_debate()
    services.close_debate(debate, "Concluded.", acting_user=editor_of(debate))
    with pytest.raises(services.DebateClosed):
        submit(debate, sources=[SOURCE])
    assert not Argument.objects.exists()
