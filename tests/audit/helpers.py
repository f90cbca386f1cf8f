"""Reading the audit log in tests, and filling in a Django admin form as a browser would."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from undersigned.audit.models import AuditAction, AuditLogEntry


def entries(action: AuditAction) -> list[AuditLogEntry]:
    return list(AuditLogEntry.objects.filter(action=action).order_by("id"))


def audit_page(client: Any, query: str = "") -> str:
    """The staff audit log page's table (not its filter, which names every action)."""
    response = client.get(f"/staff/audit-log/{query}")
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index("<tbody>") :]


class _FormFields(HTMLParser):
    """The values a browser would submit from the page's main form."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, Any] = {}
        self._select: str | None = None
        self._textarea: str | None = None
        self._multiple = False

    def _add(self, name: str, value: str, multiple: bool = False) -> None:
        if multiple:
            self.data.setdefault(name, []).append(value)
        else:
            self.data[name] = value

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self._add(name, a.get("value", "on"), multiple=a.get("type") == "checkbox")
            else:
                self._add(name, a.get("value", ""))
        elif tag == "select" and name:
            self._select = name
            self._multiple = "multiple" in a
        elif tag == "option" and self._select and "selected" in a:
            self._add(self._select, a.get("value", ""), multiple=self._multiple)
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            # Browsers drop the newline Django writes right after <textarea>.
            self.data[self._textarea] = self.data[self._textarea].removeprefix("\n")
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea] += data


def admin_form_data(html: str) -> dict[str, Any]:
    parser = _FormFields()
    parser.feed(html)
    parser.data.pop("action", None)  # the changelist's action picker, if any
    return parser.data
