"""What the back office offers partners to paste: the script embed and the plain iframe."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.html import format_html

from undersigned.core.site import absolute_url
from undersigned.petitions.models import Petition
from undersigned.reach.oembed import HEIGHT, WIDTH, embed_iframe


@dataclass(frozen=True)
class Snippets:
    script: str  # resizes itself: the widget's height comes by postMessage
    iframe: str  # for sites that allow no script
    embed_path: str  # for the live preview on the staff page


def embed_snippets(petition: Petition) -> Snippets:
    embed_url = absolute_url("reach:embed", slug=petition.slug)
    petition_url = absolute_url("signatures:petition", slug=petition.slug)
    script = format_html(
        '<div data-undersigned-embed="{}?form=1" data-undersigned-title="{}"></div>\n'
        '<script src="{}" async></script>\n'
        '<noscript><a href="{}?ref=embed">{}</a></noscript>',
        embed_url, petition.title, absolute_url("reach:embed_script"),
        petition_url, petition.title,
    )  # fmt: skip
    return Snippets(
        script=str(script),
        iframe=embed_iframe(petition, width=WIDTH, height=HEIGHT),
        embed_path=reverse("reach:embed", kwargs={"slug": petition.slug}),
    )
