"""Demo data: the case of Julian Assange as an NGO followed it until January 2021.

The texts are data files a translator can edit without reading code, in `demo_texts/`:
`case.toml` holds what is the same in every language (slugs, dates, the goal), and one
`<language>.toml` per language holds the texts (Markdown), each timeline entry and update named
by its date. A language of `settings.LANGUAGES` without a file is left out of the demo.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from django.conf import settings

TEXTS = Path(__file__).with_name("demo_texts")


def _read(name: str) -> dict[str, Any]:
    with (TEXTS / f"{name}.toml").open("rb") as file:
        return tomllib.load(file)


def _by_language(texts: dict[str, dict[str, Any]], *path: str) -> dict[str, Any]:
    """`{field: {language: text}}` for the table at `path` in every language's file."""
    fields: dict[str, Any] = {}
    for language, document in texts.items():
        table = document
        for key in path:
            table = table[key]
        for field, text in table.items():
            fields.setdefault(field, {})[language] = text
    return fields


def _load() -> dict[str, Any]:
    common = _read("case")
    texts = {language: _read(language) for language in LANGUAGES}
    case = {"slug": common["case"]["slug"], **_by_language(texts, "case")}
    timeline = [
        {
            "date": entry["date"],
            "precision": entry["precision"],
            **_by_language(texts, "timeline", entry["date"].isoformat()),
            "source_url": entry["source_url"],
        }
        for entry in common["timeline"]
    ]
    updates = [
        {"date": update["date"], **_by_language(texts, "updates", update["date"].isoformat())}
        for update in common["updates"]
    ]
    petition_texts = _by_language(texts, "petition")
    debate_question = petition_texts.pop("debate_question")
    petition = {
        "slug": common["petition"]["slug"],
        **petition_texts,
        "goal": common["petition"]["goal"],
        "opens_on": common["petition"]["opens_on"],
    }
    milestones = [
        {
            "count": None if milestone.get("goal") else milestone["count"],
            "note": {
                language: document.get("milestones", {}).get(milestone["key"], "")
                for language, document in texts.items()
            },
        }
        for milestone in common.get("milestones", [])
    ]
    return {
        "MILESTONES": milestones,
        "ORGANISATION": common["organisation"],
        "CASE": case,
        "TIMELINE": timeline,
        "UPDATES": updates,
        "PETITION": petition,
        "DEBATE_QUESTION": debate_question,
    }


LANGUAGES = tuple(code for code, _ in settings.LANGUAGES if (TEXTS / f"{code}.toml").exists())
_content = _load()
ORGANISATION: dict[str, str] = _content["ORGANISATION"]
CASE: dict[str, Any] = _content["CASE"]
TIMELINE: list[dict[str, Any]] = _content["TIMELINE"]
UPDATES: list[dict[str, Any]] = _content["UPDATES"]
PETITION: dict[str, Any] = _content["PETITION"]
DEBATE_QUESTION: dict[str, str] = _content["DEBATE_QUESTION"]
# The demo petition's milestones ("count": None is "the goal reached"), notes by language.
MILESTONES: list[dict[str, Any]] = _content["MILESTONES"]
