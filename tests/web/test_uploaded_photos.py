"""Uploaded photos: a case photo is re-encoded like a delivery photo, and /media/ serves only
photos, with the Content-Type of their format and nosniff (issue 19, item 6)."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.factories import make_case, make_organisation, make_staff
from tests.sign_in import sign_in
from undersigned.campaigns.models import Case, Role

pytestmark = pytest.mark.django_db

SCRIPT = b"<script>alert(document.cookie)</script>"
GPS = 0x8825  # the EXIF tag that holds where a photo was taken


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def camera_jpeg(size=(80, 60)) -> bytes:
    """A JPEG as a phone makes it (EXIF with a position), with a script appended after it."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[GPS] = {1: "N", 2: (51.0, 30.0, 0.0)}
    buffer = BytesIO()
    Image.new("RGB", size, "teal").save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue() + SCRIPT


def save_case_photo(client, case: Case, content: bytes, name: str = "IMG_0001.jpg"):
    url = f"/admin/campaigns/case/{case.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {field.html_name: field.value() for field in form if field.name != "photo"}
    data = {name: "" if value in (None, False) else value for name, value in data.items()}
    data |= {"timeline-TOTAL_FORMS": "0", "timeline-INITIAL_FORMS": "0"}
    data["photo_alt_en"] = "The person at the centre of the case"
    data["photo"] = SimpleUploadedFile(name, content, content_type="image/jpeg")
    return client.post(url, data)


@pytest.fixture
def editor_and_case(client):
    organisation = make_organisation()
    case = make_case(organisation=organisation)
    sign_in(client, make_staff(organisation, Role.EDITOR))
    return case


def test_a_case_photo_is_stored_without_exif_or_what_followed_the_image(client, editor_and_case):
    response = save_case_photo(client, editor_and_case, camera_jpeg())
    assert response.status_code == 302, response.context["adminform"].form.errors
    stored = Case.objects.get(pk=editor_and_case.pk).photo
    name = str(stored.name)
    assert name.startswith("cases/") and "IMG_0001" not in name
    content = stored.read()
    assert SCRIPT not in content and b"PhoneMaker" not in content
    with Image.open(BytesIO(content)) as image:
        assert image.format == "JPEG" and GPS not in image.getexif()


def test_the_case_page_photo_is_served_as_an_image_that_is_never_sniffed(client, editor_and_case):
    save_case_photo(client, editor_and_case, camera_jpeg())
    url = Case.objects.get(pk=editor_and_case.pk).photo.url
    assert url in client.get(f"/cases/{editor_and_case.slug}/").content.decode()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8\xff")


def test_a_file_that_only_looks_like_a_photo_is_refused_in_the_admin(client, editor_and_case):
    truncated = camera_jpeg(size=(400, 300))[:600]  # a valid start, cut off
    for content in (b"<html><script>alert(1)</script>", truncated):
        response = save_case_photo(client, editor_and_case, content)
        assert response.status_code == 200
        assert "photo" in response.context["adminform"].form.errors
    assert not Case.objects.get(pk=editor_and_case.pk).photo


@pytest.mark.parametrize(
    "path",
    [
        "/media/cases/",  # no listing
        "/media/",
        "/media/cases/..%2f..%2fsettings.py",
        "/media/cases/../cases/kept.jpg",
        "/media/cases/%2e%2e/kept.jpg",
        "/media/secrets/kept.jpg",  # not an upload folder
        "/media/cases/page.html",
        "/media/cases/drawing.svg",
        "/media/cases/fake.jpg",  # HTML under an image name: not what its name says
        "/media/cases/missing.png",
    ],
)
def test_media_serves_nothing_but_the_photos_themselves(client, _media_in_tmp, path):
    (_media_in_tmp / "cases").mkdir()
    (_media_in_tmp / "secrets").mkdir()
    (_media_in_tmp / "cases" / "kept.jpg").write_bytes(camera_jpeg())
    (_media_in_tmp / "secrets" / "kept.jpg").write_bytes(camera_jpeg())
    (_media_in_tmp / "cases" / "page.html").write_bytes(SCRIPT)
    (_media_in_tmp / "cases" / "drawing.svg").write_bytes(b"<svg onload='alert(1)'/>")
    (_media_in_tmp / "cases" / "fake.jpg").write_bytes(SCRIPT)
    assert client.get("/media/cases/kept.jpg").status_code == 200
    assert client.get(path).status_code == 404


def test_a_delivery_photo_is_served_with_the_type_of_its_format(client, _media_in_tmp):
    (_media_in_tmp / "deliveries").mkdir()
    buffer = BytesIO()
    Image.new("RGB", (8, 8), "teal").save(buffer, "PNG")
    (_media_in_tmp / "deliveries" / "0123abcd.png").write_bytes(buffer.getvalue())
    response = client.get("/media/deliveries/0123abcd.png")
    assert (response.status_code, response["Content-Type"]) == (200, "image/png")
    assert client.head("/media/deliveries/0123abcd.png").status_code == 200
    assert client.post("/media/deliveries/0123abcd.png").status_code == 405
