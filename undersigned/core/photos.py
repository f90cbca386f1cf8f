"""Every uploaded photo, made safe to show: checked, re-encoded, renamed — one way for all.

What people upload (case photos in the admin, delivery photos on the staff page) is never
stored as sent: EXIF can hold the place, the time and the phone of whoever took it, and a
file that is a valid image can still carry a script after its end. `photo_for_the_web` decodes
the image, turns it upright, scales it to at most `max_pixels` a side and saves it again, in
its own format and without metadata, under a random name whose extension is that format.
web/media.py serves it with the Content-Type of that format.
"""

from __future__ import annotations

import uuid
from io import BytesIO
from typing import Any

from django import forms
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

MAX_BYTES = 5 * 1024 * 1024
MAX_MEGAPIXELS = 40
MAX_PIXELS = 2000  # a side: no page shows a photo larger
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}  # the formats we keep
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


class UnreadablePhoto(ValueError):
    """The file is not a photo in a format we keep, or it cannot be decoded."""


class WebPhoto(ContentFile):
    """A photo `photo_for_the_web` made: safe to store as it is."""


def photo_for_the_web(upload: Any, max_pixels: int = MAX_PIXELS) -> WebPhoto:
    """The photo scaled to at most `max_pixels` a side, turned upright and saved again without
    metadata, under a random name (the uploader's file name is not kept)."""
    upload.seek(0)
    try:
        with Image.open(upload) as original:
            kind = original.format or ""
            if kind not in EXTENSIONS:
                raise UnreadablePhoto(f"not a photo format we keep: {kind!r}")
            original.draft("RGB", (max_pixels, max_pixels))
            image = ImageOps.exif_transpose(original)
            image.thumbnail((max_pixels, max_pixels))
            output = BytesIO()
            if kind == "JPEG":
                image.convert("RGB").save(output, "JPEG", quality=85, optimize=True)
            elif kind == "PNG":
                image.save(output, "PNG", optimize=True)
            else:
                image = image if image.mode in {"RGB", "RGBA"} else image.convert("RGBA")
                image.save(output, "WEBP", quality=85)
    except (OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise UnreadablePhoto("the image could not be decoded") from error
    return WebPhoto(output.getvalue(), name=f"{uuid.uuid4().hex}.{EXTENSIONS[kind]}")


class PhotoField(forms.ImageField):
    """An upload field for a photo: refuses an oversized file before Pillow opens it, then
    anything but a JPEG, PNG or WebP of at most MAX_MEGAPIXELS, and cleans to the re-encoded
    WebPhoto (so a file that cannot be decoded is a form error, never a failed save)."""

    default_error_messages = {
        "too_big": _("The photo is larger than 5 MB; choose a smaller one."),
        "invalid_image": _("This file is not a photo we can read; choose a JPEG, PNG or WebP."),
        "invalid_extension": _("Choose a JPEG, PNG or WebP image."),
        "empty": _("The photo file is empty."),
        "too_many_pixels": _("The photo has too many pixels (at most %(n)s megapixels)."),
    }

    def to_python(self, data: Any) -> Any:
        if data and getattr(data, "size", 0) > MAX_BYTES:
            raise forms.ValidationError(self.error_messages["too_big"], code="too_big")
        return super().to_python(data)

    def clean(self, data: Any, initial: Any = None) -> Any:
        value = super().clean(data, initial)
        if not isinstance(value, UploadedFile):
            return value  # nothing new: no photo, the stored one, or False to clear it
        image = getattr(value, "image", None)
        if image is None or image.format not in EXTENSIONS:
            raise forms.ValidationError(self.error_messages["invalid_extension"])
        width, height = image.size
        if width * height > MAX_MEGAPIXELS * 1_000_000:
            raise forms.ValidationError(
                self.error_messages["too_many_pixels"], params={"n": MAX_MEGAPIXELS}
            )
        try:
            return photo_for_the_web(value)
        except UnreadablePhoto:
            raise forms.ValidationError(self.error_messages["invalid_image"]) from None
