"""Recording a delivery: it appears on the public petition page at once, with its photo and
alt text; bad input gets a clear message on the field."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from tests.factories import make_case, make_organisation, make_petition, make_staff
from tests.sign_in import sign_in
from undersigned.campaigns.models import Role
from undersigned.core.photos import MAX_BYTES as PHOTO_MAX_BYTES
from undersigned.petitions.models import Delivery
from undersigned.privacy.exports.forms import DeliveryForm

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def petition():
    return make_petition(case=make_case(organisation=make_organisation()))


def photo(name="handover.png", kind="PNG", size=(64, 48), **save_options) -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", size, "teal").save(buffer, kind, **save_options)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{kind.lower()}")


def delivery_data(**overrides):
    data = {
        "delivered_on": timezone.localdate().isoformat(), "place": "Home Office, London",
        "signatures_delivered": "12500", "note": "Handed to a senior official.",
    }  # fmt: skip
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def record(client, petition, role=Role.EDITOR, **overrides):
    sign_in(client, make_staff(petition.case.organisation, role))
    return client.post(f"/staff/petitions/{petition.slug}/deliveries/", delivery_data(**overrides))


def errors_of(response, field):
    return response.context["form"].errors.get(field, [])


def test_editor_records_a_delivery(client, petition):
    response = record(client, petition)
    assert response.status_code == 303
    delivery = Delivery.objects.get()
    assert (delivery.place, delivery.signatures_delivered) == ("Home Office, London", 12500)
    assert delivery.created_by is not None


def test_a_recorded_delivery_appears_on_the_cached_public_page_at_once(client, petition):
    page = f"/petitions/{petition.slug}/"
    assert "Delivered" not in client.get(page).content.decode()  # now cached
    record(client, petition, note="Outside in the rain.")
    html = client.get(page).content.decode()
    assert "Delivered" in html
    assert "12,500 signatures handed over in Home Office, London" in html
    assert "Outside in the rain." in html


def test_the_public_page_shows_the_delivery_photo_with_its_alt_text(client, petition):
    record(client, petition, photo=photo(), photo_alt="Campaigners hand over boxes")
    html = client.get(f"/petitions/{petition.slug}/").content.decode()
    url = Delivery.objects.get().photo.url
    assert f'<img src="{url}" alt="Campaigners hand over boxes"' in html


def test_a_delivery_note_with_markup_is_shown_as_text(client, petition):
    record(client, petition, note='<script>alert(1)</script><a href="javascript:x">y</a>')
    html = client.get(f"/petitions/{petition.slug}/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html


def test_the_photo_is_stored_without_the_cameras_metadata(client, petition):
    exif = Image.Exif()
    exif[0x010F] = "Phone Maker"  # Make
    exif[0x0110] = "Phone Model 7"  # Model
    upload = photo("IMG_0001.jpg", "JPEG", exif=exif.tobytes())
    record(client, petition, photo=upload, photo_alt="Boxes of signatures")
    stored = Delivery.objects.get().photo
    assert stored.name and not stored.name.endswith("IMG_0001.jpg")
    with Image.open(stored.path) as image:
        assert dict(image.getexif()) == {}


def test_a_large_photo_is_scaled_down_for_the_web(client, petition):
    record(client, petition, photo=photo(size=(4000, 300)), photo_alt="A long banner")
    delivery = Delivery.objects.get()
    assert (delivery.photo_width, delivery.photo_height) == (2000, 150)


def test_a_negative_number_of_signatures_is_refused_with_a_message(client, petition):
    response = record(client, petition, signatures_delivered="-5")
    assert response.status_code == 422
    assert errors_of(response, "signatures_delivered") == [
        "The number of signatures delivered must be at least 1."
    ]


def test_an_over_long_place_is_refused_with_a_message(client, petition):
    response = record(client, petition, place="x" * 201)
    assert errors_of(response, "place") == ["Keep the place to 200 characters or fewer."]


def test_a_file_that_is_not_an_image_is_refused_as_a_photo(client, petition):
    fake = SimpleUploadedFile("photo.png", b"<html><script>alert(1)</script>", "image/png")
    response = record(client, petition, photo=fake, photo_alt="x")
    assert errors_of(response, "photo") == [
        "This file is not a photo we can read; choose a JPEG, PNG or WebP."
    ]
    assert not Delivery.objects.exists()


def test_an_image_of_another_kind_is_refused_as_a_photo(client, petition):
    response = record(client, petition, photo=photo("anim.gif", "GIF"), photo_alt="x")
    assert errors_of(response, "photo") == ["Choose a JPEG, PNG or WebP image."]


def test_a_photo_without_a_description_is_refused(client, petition):
    response = record(client, petition, photo=photo())
    assert errors_of(response, "photo_alt") == [
        "Describe the photo for people who cannot see it (alt text)."
    ]


def test_a_delivery_date_in_the_future_is_refused(client, petition):
    future = (timezone.localdate() + timedelta(days=10)).isoformat()
    response = record(client, petition, delivered_on=future)
    assert errors_of(response, "delivered_on") == ["The delivery date cannot be in the future."]


def test_a_missing_place_and_date_are_named(client, petition):
    response = record(client, petition, place="", delivered_on=None)
    assert errors_of(response, "place") == ["Enter where the signatures were delivered."]
    assert errors_of(response, "delivered_on") == ["Enter the date the signatures were delivered."]


def test_a_photo_over_5_mb_is_refused_before_it_is_opened(petition):
    big = SimpleUploadedFile("big.jpg", b"\xff" * (PHOTO_MAX_BYTES + 1), "image/jpeg")
    form = DeliveryForm(delivery_data(photo_alt="x"), {"photo": big}, petition=petition)
    assert form.errors["photo"] == ["The photo is larger than 5 MB; choose a smaller one."]


def test_a_photo_of_a_few_hundred_kilobytes_can_be_uploaded(client, petition):
    noisy = Image.effect_noise((600, 600), 100).convert("RGB")
    buffer = BytesIO()
    noisy.save(buffer, "PNG")
    assert len(buffer.getvalue()) > 200_000
    upload = SimpleUploadedFile("noise.png", buffer.getvalue(), "image/png")
    assert record(client, petition, photo=upload, photo_alt="Noise").status_code == 303


def test_analyst_cannot_record_a_delivery(client, petition):
    assert record(client, petition, role=Role.ANALYST).status_code == 403
    assert not Delivery.objects.exists()


def test_editor_of_another_organisation_cannot_record_a_delivery(client, petition):
    sign_in(client, make_staff(make_organisation(), Role.EDITOR))
    response = client.post(f"/staff/petitions/{petition.slug}/deliveries/", delivery_data())
    assert response.status_code == 404
    assert not Delivery.objects.exists()


def test_the_deliveries_page_lists_what_was_recorded(client, petition):
    record(client, petition, place="Brussels")
    html = client.get(f"/staff/petitions/{petition.slug}/deliveries/").content.decode()
    assert "The delivery is recorded and shown on the petition page." in html
    assert "Brussels" in html


def test_recording_a_delivery_refreshes_the_page_in_every_language(client, petition):
    page = f"/petitions/{petition.slug}/"
    for language in ("en", "de", "es"):
        client.get(page, HTTP_ACCEPT_LANGUAGE=language)  # each is cached now
    record(client, petition, place="Brussels")
    for language in ("en", "de", "es"):
        assert "Brussels" in client.get(page, HTTP_ACCEPT_LANGUAGE=language).content.decode()
