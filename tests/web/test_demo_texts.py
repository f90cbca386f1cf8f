"""The demo's texts live in data files (web/demo_texts/*.toml) a translator can edit; built
from them, the demo is exactly what the Python dicts it replaced held (snapshot taken from
those dicts before the move, in fixtures/demo_content_before_toml.json)."""

import json
from datetime import date
from pathlib import Path
from typing import Any

from undersigned.web import demo_content

SNAPSHOT = Path(__file__).with_name("fixtures") / "demo_content_before_toml.json"
NAMES = ["ORGANISATION", "CASE", "TIMELINE", "UPDATES", "PETITION", "DEBATE_QUESTION"]


def _with_dates(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"__date__"}:
            return date.fromisoformat(value["__date__"])
        return {key: _with_dates(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_with_dates(item) for item in value]
    return value


def test_the_demo_built_from_the_data_files_equals_the_dicts_it_replaced():
    before = _with_dates(json.loads(SNAPSHOT.read_text(encoding="utf-8")))
    assert {name: getattr(demo_content, name) for name in NAMES} == before


def test_every_language_file_names_the_same_entries_as_the_english_one():
    assert demo_content.LANGUAGES == ("en", "de", "es")
    for entry in demo_content.TIMELINE + demo_content.UPDATES:
        assert set(entry["title"]) == set(entry["body"]) == set(demo_content.LANGUAGES)
