"""The embeddable widget, `/petitions/<slug>/embed/`: the one page any site may frame.

It shows the count, the progress and the goal with a "Sign" button that opens the petition
in a new tab, or — with `?form=1` — the sign form itself, which works inside the frame with
no cookie (core/formtoken.py) and posts back to this page, so every answer stays frameable.
Signatures made here have the source `embed` (signatures/sources.py).

Options, each validated and falling back to its default without an error or an echo:
`?lang=` one of settings.LANGUAGES, `?theme=light|dark`, `?accent=` a hex colour
(`1d70b8` or `#1d70b8`), `?form=1`. The page is cached like the petition page
(signatures/pages.py), one entry per language, theme and form; the accent is put into the
cached HTML per request.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods

from undersigned.core.formtoken import issue_form_token, protect_public_form
from undersigned.core.framing import frameable_by_any_site
from undersigned.core.http import CACHED_PUBLIC_PAGE, see_other
from undersigned.core.site import absolute_url
from undersigned.petitions.models import Petition
from undersigned.petitions.selectors import accepts_signatures, get_public_petition
from undersigned.signatures.forms import SignForm
from undersigned.signatures.pages import cached_petition_page
from undersigned.signatures.selectors import count_snapshot
from undersigned.signatures.sources import EMBED, REFERRER_FIELD, Source, clean_host
from undersigned.signatures.submission import Outcome, submit_signature

HEX_COLOUR = re.compile(r"#?([0-9a-fA-F]{6})")
THEMES = ("light", "dark")
# The accent is put in per request (with_accent), so 16 million colours share one cached page.
ACCENT_ATTRIBUTES_SLOT = " data-accent-slot"
ACCENT_QUERY_SLOT = "&amp;accent=ACCENTSLOT"


@dataclass(frozen=True)
class EmbedOptions:
    language: str
    theme: str = "light"
    accent: str = ""  # "#rrggbb", or "" for the site's own
    form: bool = False
    sent: bool = False  # the form was sent: show "check your email"

    @property
    def accent_ink(self) -> str:
        """Black or white, whichever reads better on the accent (WCAG relative luminance)."""
        if not self.accent:
            return ""
        channels = [int(self.accent[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
        return "#000000" if luminance > 0.179 else "#ffffff"

    @property
    def variant(self) -> str:
        """What the cached page depends on (the accent is put in after: with_accent)."""
        return f"{self.theme}:{int(self.form)}:{int(self.sent)}"

    def query(self, **changes: Any) -> str:
        """The embed URL's query string for these options (validated values only)."""
        values = {"lang": self.language, "theme": self.theme, "accent": self.accent.lstrip("#")}
        values |= {"form": "1" if self.form else "", "sent": "1" if self.sent else ""}
        values |= changes
        return urlencode({key: value for key, value in values.items() if value})


def embed_options(query: Mapping[str, str]) -> EmbedOptions:
    languages = dict(settings.LANGUAGES)
    language = query.get("lang", "")
    colour = HEX_COLOUR.fullmatch(query.get("accent", ""))
    theme = query.get("theme", "")
    return EmbedOptions(
        language=language if language in languages else translation.get_language() or "en",
        theme=theme if theme in THEMES else "light",
        accent=f"#{colour.group(1).lower()}" if colour else "",
        form=query.get("form") == "1",
        sent=query.get("sent") == "1",
    )


def embed_context(
    petition: Petition, *, options: EmbedOptions, form: SignForm | None = None
) -> dict[str, Any]:
    petition_url = absolute_url("signatures:petition", slug=petition.slug)
    embed_path = reverse("reach:embed", kwargs={"slug": petition.slug})
    return {
        "petition": petition,
        "count": count_snapshot(petition),
        "accepts_signatures": accepts_signatures(petition),
        "options": options,
        "sign_url": f"{petition_url}?{urlencode({'ref': EMBED})}",
        "sign_action": f"{embed_path}?{options.query(sent='', accent='ACCENTSLOT')}",
        "form": form or SignForm(),
        "form_token": issue_form_token(),
        "proof_of_work": settings.PROOF_OF_WORK,
    }


@frameable_by_any_site
@require_http_methods(["GET", "POST"])
@protect_public_form
def embed(request: HttpRequest, slug: str) -> HttpResponse:
    options = embed_options(request.GET)
    with translation.override(options.language):
        if request.method == "POST":
            return _sign_in_the_frame(request, slug, options)
        html = cached_petition_page(
            request, slug, partial(embed_context, options=options),
            template="reach/embed.html", variant=options.variant,
        )  # fmt: skip
    response = HttpResponse(with_accent(html, options))
    response["Cache-Control"] = CACHED_PUBLIC_PAGE
    return response


def _sign_in_the_frame(request: HttpRequest, slug: str, options: EmbedOptions) -> HttpResponse:
    petition = get_public_petition(slug)
    source = Source(source=EMBED, referrer_host=clean_host(request.POST.get(REFERRER_FIELD)))
    submission = submit_signature(request, petition, source=source)
    if submission.outcome is Outcome.TAKEN:
        path = reverse("reach:embed", kwargs={"slug": slug})
        return see_other(f"{path}?{options.query(form='', sent='1')}")
    status = {Outcome.CLOSED: 409, Outcome.SLOW_DOWN: 429, Outcome.INVALID: 422}
    context = embed_context(petition, options=options, form=submission.form)
    context["slow_down"] = submission.outcome is Outcome.SLOW_DOWN
    response = render(request, "reach/embed.html", context, status=status[submission.outcome])
    response.content = with_accent(response.content.decode(), options)
    return response


def with_accent(html: str, options: EmbedOptions) -> str:
    """The page with the accent colour (validated hex) in its <body> and its form's action."""
    attributes = query = ""
    if options.accent:
        ink = options.accent_ink
        attributes = f' data-accent="{options.accent}" data-accent-ink="{ink}"'
        query = f"&amp;accent={options.accent.lstrip('#')}"
    html = html.replace(ACCENT_ATTRIBUTES_SLOT, attributes, 1)
    return html.replace(ACCENT_QUERY_SLOT, query, 1)
