"""Uploaded files, served by the app itself: photos at /media/cases/<name> and
/media/deliveries/<name>, the targets' responses (PDF, as a download) at /media/responses/<name>.

Only what core/photos.py stores can come out: a JPEG, PNG or WebP directly in one of the two
upload folders, under a plain file name (no directory, no "..", no listing of a folder), whose
first bytes are those of the format its extension names. The Content-Type comes from that
format — never guessed from the file — with `nosniff`, so no upload is ever read by a browser as
a page or a script. Anything else is a 404. A reverse proxy can serve the folder instead
(docs/deployment.md); the same rules then belong in its configuration.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest
from django.utils._os import safe_join
from django.views.decorators.http import require_safe

from undersigned.core.photos import CONTENT_TYPES

PDF = {"pdf": "application/pdf"}
# Each upload folder (the upload_to of Case.photo, Delivery.photo, PetitionResponse.document)
# and the formats it may hold, by extension.
FOLDERS = {"cases": CONTENT_TYPES, "deliveries": CONTENT_TYPES, "responses": PDF}
# How each kept format's file begins (WebP: "RIFF", four bytes of size, "WEBP").
MAGIC = {
    "image/jpeg": lambda head: head.startswith(b"\xff\xd8\xff"),
    "image/png": lambda head: head.startswith(b"\x89PNG\r\n\x1a\n"),
    "image/webp": lambda head: head[:4] == b"RIFF" and head[8:12] == b"WEBP",
    "application/pdf": lambda head: head.startswith(b"%PDF-"),
}
CACHE_SECONDS = 24 * 3600


@require_safe
def uploaded_photo(request: HttpRequest, folder: str, name: str) -> FileResponse:
    extension = name.rpartition(".")[2].lower()
    content_type = FOLDERS.get(folder, {}).get("jpg" if extension == "jpeg" else extension)
    if content_type is None:
        raise Http404("No such photo")
    try:
        path = Path(safe_join(settings.MEDIA_ROOT, folder, name))
        handle = path.open("rb")
    except (OSError, ValueError):  # missing, a folder, or outside MEDIA_ROOT
        raise Http404("No such photo") from None
    if not MAGIC[content_type](handle.read(12)):
        handle.close()
        raise Http404("No such photo")  # not what its name says: never served
    handle.seek(0)
    response = FileResponse(handle, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    # A PDF is downloaded, not opened in the site's origin (a PDF may carry script).
    response["Content-Disposition"] = "attachment" if content_type in PDF.values() else "inline"
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return response
