"""Personal data held by other apps, found and erased by a person's email address.

Why a registry: "manage my data" lives in `privacy`, but apps on its own layer (`proposals`,
`mailings`) also hold a person's data, and the import layers (pyproject.toml) forbid siblings
from importing each other. So each such app registers, once in its AppConfig.ready, a name and
two functions keyed on the address; privacy calls them all through this module, which
imports nothing of ours.

The address is the one that received the "manage my data" link, as the public forms write
an address (local part as typed, domain in lower case). Each app matches rows stored under
exactly that address — it may use the address key (signatures/normalise.py) to find them
fast, but never returns or erases rows of another spelling that normalises alike
(docs/privacy.md, "Which address a link opens").

- `export(address)` returns JSON-serialisable data about that person only — no keys or
  tokens, nothing about anyone else — and something empty ({} or []) when it holds none.
- `erase(address)` deletes or anonymises it and returns how many rows it changed. It runs
  inside the caller's transaction, so the whole erasure commits or fails as one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Export = Callable[[str], dict[str, Any] | list[Any]]
Erase = Callable[[str], int]


@dataclass(frozen=True)
class _Holder:
    label: str  # what the person is shown on their data page (a lazily translated string)
    export: Export
    erase: Erase


_holders: dict[str, _Holder] = {}


def register(name: str, *, label: Any, export: Export, erase: Erase) -> None:
    """Declare that an app holds personal data under `name` (the key in the download).

    Registering a name again replaces it (ready() may run twice in tests), never adds twice.
    """
    _holders[name] = _Holder(label, export, erase)


def registered() -> list[str]:
    return sorted(_holders)


def export_everything(address: str) -> dict[str, Any]:
    """Each registered app's data about this address, under its name."""
    return {name: _holders[name].export(address) for name in registered()}


def summary(address: str) -> list[tuple[Any, int]]:
    """(label, how many items) of each registered app that holds data under this address.

    An item is an entry of the export's list, or of each list in the export's dict.
    """
    found = []
    for name in registered():
        data = _holders[name].export(address)
        values = data.values() if isinstance(data, dict) else [data]
        items = sum(len(value) if isinstance(value, list) else 1 for value in values if value)
        if items:
            found.append((_holders[name].label, items))
    return found


def holds_anything(address: str) -> bool:
    """Whether any registered app holds data under this address (its export is not empty)."""
    return any(_holders[name].export(address) for name in registered())


def erase_everything(address: str) -> dict[str, int]:
    """Erase this address from each registered app; rows changed, under each name."""
    return {name: _holders[name].erase(address) for name in registered()}
