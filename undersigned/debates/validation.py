"""The rules every argument obeys, wherever it comes from (staff, the public, a moderator's
correction): one function per rule, each raising ArgumentRefused with a sentence people read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from django.utils.translation import gettext_lazy as _

from undersigned.debates import models as m

MAX_SOURCES = 5


class ArgumentRefused(ValueError):
    """The argument breaks a rule; `str(error)` is the message for the writer."""


@dataclass(frozen=True)
class SourceInput:
    url: str
    title: str
    published_on: date | None = None


def check_claim(claim: str) -> str:
    claim = " ".join(claim.split())
    if not claim:
        raise ArgumentRefused(_("Please write the claim."))
    if len(claim) > m.CLAIM_MAX_LENGTH:
        raise ArgumentRefused(_("Please keep the claim to 200 characters or fewer."))
    return claim


def check_explanation(explanation: str) -> str:
    explanation = explanation.replace("\r\n", "\n").strip()
    if len(explanation) > m.EXPLANATION_MAX_LENGTH:
        raise ArgumentRefused(_("Please keep the explanation to 3,000 characters or fewer."))
    return explanation


def check_source_url(url: str) -> str:
    """Only absolute http(s) addresses with a host: no javascript:, data: or relative links."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        raise ArgumentRefused(
            _("A source must be a web address starting with https:// or http://.")
        )
    if len(url) > m.SOURCE_URL_MAX_LENGTH or any(char.isspace() for char in url):
        raise ArgumentRefused(
            _("Please give the source's web address on one line, in 500 characters or fewer.")
        )
    return url


def check_sources(debate: m.Debate, sources: list[SourceInput]) -> list[SourceInput]:
    if len(sources) > MAX_SOURCES:
        raise ArgumentRefused(_("Please give at most five sources."))
    checked = []
    for source in sources:
        title = " ".join(source.title.split())
        if not title or len(title) > m.SOURCE_TITLE_MAX_LENGTH:
            raise ArgumentRefused(_("Please give each source a title of 200 characters or fewer."))
        checked.append(SourceInput(check_source_url(source.url), title, source.published_on))
    if debate.sources_required and not checked:
        raise ArgumentRefused(_("This debate asks for a source for every argument."))
    return checked


def check_reply(debate: m.Debate, side: str, replies_to: m.Argument | None) -> None:
    """A rebuttal answers a published argument of the other side, never another rebuttal."""
    if replies_to is None:
        return
    if replies_to.debate_id != debate.pk or replies_to.state != m.ArgumentState.PUBLISHED:
        raise ArgumentRefused(_("The argument you answer is not on this debate's page."))
    if replies_to.replies_to_id is not None:
        raise ArgumentRefused(
            _("A rebuttal cannot be answered by another one; please answer the argument itself.")
        )
    if replies_to.side == side:
        raise ArgumentRefused(_("A rebuttal answers an argument of the other side."))
