"""Moving through a page the way a keyboard user does: Tab, and nothing else."""

from __future__ import annotations

from playwright.sync_api import Page

MAX_TABS = 60


def focused(page: Page, attribute: str) -> str | None:
    """An attribute of the focused element (or its tag name for "tagName"/its text for "text")."""
    return page.evaluate(
        """(attribute) => {
            const el = document.activeElement;
            if (!el || el === document.body) return null;
            if (attribute === "tagName") return el.tagName.toLowerCase();
            if (attribute === "text") return el.textContent.trim();
            return el.getAttribute(attribute);
        }""",
        attribute,
    )


def tab_to_field(page: Page, name: str) -> int:
    """Press Tab until the field named `name` has focus; returns how many presses it took."""
    for presses in range(1, MAX_TABS + 1):
        page.keyboard.press("Tab")
        if focused(page, "name") == name:
            return presses
    raise AssertionError(f"{MAX_TABS} presses of Tab never reached the field {name!r}")


def tab_to_button(page: Page, text: str) -> int:
    """Press Tab until a button reading `text` has focus; returns how many presses it took."""
    for presses in range(1, MAX_TABS + 1):
        page.keyboard.press("Tab")
        if focused(page, "tagName") == "button" and focused(page, "text") == text:
            return presses
    raise AssertionError(f"{MAX_TABS} presses of Tab never reached the button {text!r}")
