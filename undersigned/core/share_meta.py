"""What a shared link shows: the Open Graph (https://ogp.me/) and Twitter card tags of a page.

Pages build a `ShareMeta` and include `web/_share_meta.html`; the template escapes every value,
so a hostile title stays text inside the attribute.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import to_locale

# Open Graph wants language_TERRITORY (ogp.me, "og:locale"); the territory our texts are for.
OG_TERRITORIES = {"en": "GB", "de": "DE", "es": "ES"}


def og_locale(language: str) -> str:
    """'de' → 'de_DE', as og:locale and og:locale:alternate spell a locale."""
    code = to_locale(language)
    return code if "_" in code else f"{code}_{OG_TERRITORIES.get(code, code.upper())}"


@dataclass(frozen=True)
class ShareMeta:
    title: str
    description: str
    canonical_url: str
    language: str
    languages: list[str] = field(default_factory=list)  # every language the page is offered in
    image_url: str = ""
    image_alt: str = ""
    image_width: int = 0
    image_height: int = 0
    kind: str = "website"
    oembed_url: str = ""  # oEmbed discovery (https://oembed.com/ section 4)

    @property
    def locale(self) -> str:
        return og_locale(self.language)

    @property
    def alternate_locales(self) -> list[str]:
        return [og_locale(code) for code in self.languages if code != self.language]
