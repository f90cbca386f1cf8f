"""The demo debate: read from debate.toml (beside this file) and loaded through the services.

Idempotent: the debate is found by (case, slug) and each argument by its claim, so running
`undersigned demo` again changes nothing.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from django.db import transaction

from undersigned.campaigns.models import Case
from undersigned.debates import services
from undersigned.debates.models import Argument, Debate
from undersigned.debates.validation import SourceInput

DATA = Path(__file__).with_name("debate.toml")
LANGUAGES = ("en", "de", "es")


def _translated(field: str, texts: dict[str, str]) -> dict[str, str]:
    return {f"{field}_{language}": texts[language].strip() for language in LANGUAGES}


@transaction.atomic
def load_demo_debate() -> Debate:
    data: dict[str, Any] = tomllib.loads(DATA.read_text(encoding="utf-8"))
    about = data["debate"]
    case = Case.objects.get(slug=about["case"])
    fields = {
        **_translated("question", about["question"]),
        **_translated("introduction", about["introduction"]),
        "opens_at": about["opens_at"], "accepts_contributions": about["accepts_contributions"],
        "sources_required": about["sources_required"],
    }  # fmt: skip
    debate, _created = Debate.objects.get_or_create(case=case, slug=about["slug"], defaults=fields)
    by_key: dict[str, Argument] = {}
    for entry in data["arguments"]:
        existing = Argument.objects.filter(debate=debate, claim=entry["claim"]).first()
        by_key[entry["key"]] = existing or services.add_argument(
            debate, side=entry["side"], claim=entry["claim"],
            explanation=entry["explanation"].strip(),
            sources=[SourceInput(s["url"], s["title"], s.get("date")) for s in entry["sources"]],
            replies_to=by_key[entry["replies_to"]] if "replies_to" in entry else None,
            acting_user=None,
        )  # fmt: skip
    return debate
