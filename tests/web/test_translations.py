"""Every interface string is translated into German and Spanish, and the compiled catalogue
matches its source (a forgotten compilemessages would ship English)."""

import gettext
import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "undersigned" / "locale"
_ENTRY = re.compile(
    r'^(?:msgctxt ((?:".*"\n)+))?msgid ((?:".*"\n)+)msgstr ((?:".*"\n)+)', re.MULTILINE
)


def _joined(quoted_lines: str) -> str:
    parts = re.findall(r'^"(.*)"$', quoted_lines, re.MULTILINE)
    return "".join(parts).encode().decode("unicode_escape").encode("latin-1").decode()


def entries(language: str) -> dict[tuple[str, str], str]:
    """(context, message) → translation, for the singular entries of the catalogue."""
    text = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    assert "#, fuzzy" not in text, f"{language}: fuzzy (unchecked) translations left"
    found = {
        (_joined(context), _joined(msgid)): _joined(msgstr)
        for context, msgid, msgstr in _ENTRY.findall(text)
    }
    found.pop(("", ""), None)  # the header
    return found


@pytest.mark.parametrize("language", ["de", "es"])
def test_every_string_is_translated(language):
    catalogue = entries(language)
    assert len(catalogue) > 100  # the parser really read the file
    untranslated = [msgid for msgid, msgstr in catalogue.items() if not msgstr]
    assert untranslated == []


@pytest.mark.parametrize("language", ["de", "es"])
def test_compiled_catalogue_matches_the_source(language):
    with (LOCALE / language / "LC_MESSAGES" / "django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    stale = [
        message
        for (context, message), translated in entries(language).items()
        if (catalogue.pgettext(context, message) if context else catalogue.gettext(message))
        != translated
    ]
    assert stale == [], "run: django-admin compilemessages (in undersigned/)"
