"""The case page's share tags (the petition page's are in signatures/pages.py)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from undersigned.campaigns.models import Case
from undersigned.core.share_meta import ShareMeta
from undersigned.core.site import absolute_path_url, absolute_url
from undersigned.petitions.models import Petition
from undersigned.signatures.pages import petition_share_meta
from undersigned.signatures.selectors import CountSnapshot


def case_share_meta(case: Case, petitions: list[tuple[Petition, CountSnapshot]]) -> ShareMeta:
    """The case's photo when it has one, else the share card of its first petition."""
    language = get_language() or settings.LANGUAGE_CODE
    image_url, image_alt, width, height = "", "", 0, 0
    if case.photo:
        image_url, image_alt = absolute_path_url(case.photo.url), case.photo_alt
    elif petitions:
        card = petition_share_meta(*petitions[0])
        image_url, image_alt = card.image_url, card.image_alt
        width, height = card.image_width, card.image_height
    return ShareMeta(
        title=case.title,
        description=case.summary or _("Cases, petitions and signatures for human rights."),
        canonical_url=absolute_url("web:case", slug=case.slug),
        language=language,
        languages=[code for code, _name in settings.LANGUAGES],
        image_url=image_url,
        image_alt=image_alt,
        image_width=width,
        image_height=height,
        kind="article",
    )
