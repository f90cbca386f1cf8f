"""The share card: the 1200x630 PNG that social platforms show with a petition's link.

It is drawn with Pillow from the DejaVu fonts installed with the system (no network), in the
language of the link, and shows the title, the target, the count (its two-significant-figure
bucket, which the image's URL carries) with a progress bar, and the organisation's name.
Platforms cache an image by its URL, so the URL changes with the bucket (see
`signatures.selectors.two_significant_figures`).

Rendering is never on the page or sign path: the page only names the URL; the image is drawn
when that URL is first asked for, then kept in the cache, once per petition version, bucket
and language (`share_card_png`). Text is drawn as glyphs, so a hostile title is inert here.
"""

from __future__ import annotations

import io
import time
from functools import cache as memoise
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

from undersigned.petitions.models import Petition

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
FONT_DIR = Path(settings.SHARE_CARD_FONT_DIR)
INK, MUTED, PAPER, ACCENT, TRACK = "#1b1f24", "#4a5360", "#fbf8f3", "#b3261e", "#e6ded2"
CARD_CACHE_SECONDS = 7 * 24 * 3600
RENDER_LOCK_SECONDS = 10
TITLE_LINES = 3


@memoise
def _font(bold: bool, size: int) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(FONT_DIR / name), size)


def _wrap(
    draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, lines: int
) -> list[str]:
    """`text` in at most `lines` lines that fit the card, the last cut with an ellipsis."""
    width = WIDTH - 2 * MARGIN
    words, out, line = " ".join(text.split()).split(" "), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) <= width:
            line = candidate
            continue
        if line:
            out.append(line)
        line = word
        while draw.textlength(line, font=font) > width:  # one word wider than the card
            out.append(_cut(draw, line, font, width))
            line = line[len(out[-1]) :]
    out.append(line)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = _cut(draw, out[-1] + " …", font, width, ellipsis=True)
    return out


def _cut(
    draw: ImageDraw.ImageDraw,
    text: str,
    font: ImageFont.FreeTypeFont,
    width: int,
    *,
    ellipsis: bool = False,
) -> str:
    suffix = "…" if ellipsis else ""
    text = text.removesuffix(" …")
    while text and draw.textlength(text + suffix, font=font) > width:
        text = text[:-1]
    return text.rstrip() + suffix


def render_share_card(petition: Petition, language: str, bucket: int) -> bytes:
    """The card as PNG bytes, in `language`, showing `bucket` signatures (slow: ~50 ms)."""
    with translation.override(language):
        image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
        draw = ImageDraw.Draw(image)
        draw.rectangle((0, 0, WIDTH, 12), fill=ACCENT)
        draw.text((MARGIN, 56), petition.case.organisation.name, font=_font(True, 30), fill=ACCENT)
        y = 120
        for line in _wrap(draw, petition.title, _font(True, 60), TITLE_LINES):
            draw.text((MARGIN, y), line, font=_font(True, 60), fill=INK)
            y += 74
        target = _("To: %(target)s") % {"target": petition.target}
        draw.text(
            (MARGIN, y + 12),
            _wrap(draw, target, _font(False, 32), 1)[0],
            font=_font(False, 32),
            fill=MUTED,
        )
        count = number_format(bucket, force_grouping=True) + ("+" if bucket >= 100 else "")
        goal = number_format(petition.goal, force_grouping=True)
        numbers = _("%(count)s signatures of %(goal)s") % {"count": count, "goal": goal}
        draw.text((MARGIN, 470), numbers, font=_font(True, 40), fill=INK)
        track = (MARGIN, 534, WIDTH - MARGIN, 562)
        draw.rounded_rectangle(track, radius=14, fill=TRACK)
        filled = min(1.0, bucket / max(1, petition.goal))
        if filled > 0:
            right = max(MARGIN + 28, MARGIN + round((WIDTH - 2 * MARGIN) * filled))
            draw.rounded_rectangle((MARGIN, 534, right, 562), radius=14, fill=ACCENT)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
        return buffer.getvalue()


def share_card_png(petition: Petition, language: str, bucket: int) -> bytes:
    """The card from the cache; drawn on a miss by one process while the others wait for it,
    so each (petition version, bucket, language) is drawn once."""
    version = petition.updated_at.timestamp() if petition.updated_at else 0
    key = f"share-card:{petition.pk}:{version}:{language}:{bucket}"
    png: bytes | None = cache.get(key)
    if png is not None:
        return png
    if not cache.add(f"{key}:drawing", True, timeout=RENDER_LOCK_SECONDS):
        deadline = time.monotonic() + RENDER_LOCK_SECONDS
        while time.monotonic() < deadline:
            time.sleep(0.05)
            png = cache.get(key)
            if png is not None:
                return png
    png = render_share_card(petition, language, bucket)
    cache.set(key, png, timeout=CARD_CACHE_SECONDS)
    cache.delete(f"{key}:drawing")
    return png
