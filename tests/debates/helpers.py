"""Building debates for tests: the smallest valid debate, arguments, and a staff author."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from tests.factories import make_case, make_staff
from undersigned.campaigns.models import Role
from undersigned.debates import services
from undersigned.debates.models import Argument, Debate
from undersigned.debates.validation import SourceInput

SOURCE = SourceInput("https://www.ohchr.org/en/opinion", "UN working group opinion")


def make_debate(**fields: Any) -> Debate:
    if "case" not in fields:
        fields["case"] = make_case()
    defaults = {
        "slug": "asylum", "question_en": "Should Ecuador grant asylum?",
        "introduction_en": "The question of the embassy years.",
        "opens_at": timezone.now() - timedelta(days=1), "accepts_contributions": True,
    }  # fmt: skip
    return Debate.objects.create(**{**defaults, **fields})


def editor_of(debate: Debate) -> Any:
    return make_staff(debate.case.organisation, Role.EDITOR)


def add(debate: Debate, side: str = "for", claim: str = "A claim", **fields: Any) -> Argument:
    fields.setdefault("sources", [SOURCE])
    fields.setdefault("explanation", "Because *reasons*.")
    user = fields.pop("acting_user", None) or editor_of(debate)
    return services.add_argument(debate, side=side, claim=claim, acting_user=user, **fields)


def submit(debate: Debate, side: str = "for", claim: str = "A reader's claim", **fields: Any):
    fields.setdefault("sources", [SOURCE])
    fields.setdefault("explanation", "")
    fields.setdefault("replies_to", None)
    fields.setdefault("name", "Rita Reader")
    fields.setdefault("email", "rita@example.org")
    fields.setdefault("language", "en")
    return services.submit_argument(debate, side=side, claim=claim, **fields)
