"""Editors edit, preview, publish and close their own organisation's petitions in the admin."""

import pytest
from django.utils import timezone

from tests.factories import make_case, make_organisation, make_petition, make_staff
from tests.sign_in import sign_in
from undersigned.campaigns.models import Role
from undersigned.petitions.models import PetitionStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_organisations():
    ours, theirs = make_organisation(), make_organisation()
    return {
        "ours": make_petition(case=make_case(organisation=ours), title_en="Our petition",
                              status=PetitionStatus.DRAFT),
        "theirs": make_petition(case=make_case(organisation=theirs), title_en="Their petition"),
        "editor": make_staff(ours, Role.EDITOR),
        "analyst": make_staff(ours, Role.ANALYST),
    }  # fmt: skip


def test_editor_sees_only_their_organisations_petitions_in_the_admin(client, two_organisations):
    sign_in(client, two_organisations["editor"])
    html = client.get("/admin/petitions/petition/").content.decode()
    assert "Our petition" in html
    assert "Their petition" not in html


def test_editor_cannot_open_another_organisations_petition_in_the_admin(client, two_organisations):
    sign_in(client, two_organisations["editor"])
    theirs = two_organisations["theirs"]
    response = client.get(f"/admin/petitions/petition/{theirs.pk}/change/")
    assert response.status_code in {302, 404}
    assert "Their petition" not in response.content.decode()


def test_editor_edits_a_petition_title_in_german(client, two_organisations):
    sign_in(client, two_organisations["editor"])
    ours = two_organisations["ours"]
    form = client.get(f"/admin/petitions/petition/{ours.pk}/change/").content.decode()
    assert 'name="title_de"' in form and 'name="title_es"' in form


def test_editor_publishes_a_draft_with_the_admin_action(client, two_organisations):
    sign_in(client, two_organisations["editor"])
    ours = two_organisations["ours"]
    assert client.get(f"/petitions/{ours.slug}/").status_code == 404
    client.post(
        "/admin/petitions/petition/",
        {"action": "publish", "_selected_action": [ours.pk, two_organisations["theirs"].pk]},
    )
    ours.refresh_from_db()
    assert ours.status == PetitionStatus.OPEN
    assert client.get(f"/petitions/{ours.slug}/").status_code == 200


def test_publishing_cannot_touch_another_organisations_petition(client, two_organisations):
    sign_in(client, two_organisations["editor"])
    theirs = two_organisations["theirs"]
    client.post("/admin/petitions/petition/", {"action": "close", "_selected_action": [theirs.pk]})
    theirs.refresh_from_db()
    assert theirs.status == PetitionStatus.OPEN


def test_analyst_cannot_edit_content(client, two_organisations):
    sign_in(client, two_organisations["analyst"])
    ours = two_organisations["ours"]
    assert client.get(f"/admin/petitions/petition/{ours.pk}/change/").status_code in {302, 403}
    assert client.get(f"/staff/petitions/{ours.slug}/preview/").status_code == 403


def test_editor_previews_a_draft_as_the_public_would_see_it(client, two_organisations):
    sign_in(client, two_organisations["editor"])
    ours = two_organisations["ours"]
    response = client.get(f"/staff/petitions/{ours.slug}/preview/")
    html = response.content.decode()
    assert "Our petition" in html
    assert "Preview" in html
    assert response["Cache-Control"] == "private, no-store"


def test_preview_of_another_organisations_petition_is_not_found(client, two_organisations):
    sign_in(client, two_organisations["editor"])
    theirs = two_organisations["theirs"]
    assert client.get(f"/staff/petitions/{theirs.slug}/preview/").status_code == 404


def test_data_officer_sees_signatures_of_their_organisation_only(client):
    from tests.factories import sign_form_data
    from undersigned.signatures.models import Signature

    ours, theirs = make_organisation(), make_organisation()
    our_petition = make_petition(case=make_case(organisation=ours))
    their_petition = make_petition(case=make_case(organisation=theirs))
    client.post(f"/petitions/{our_petition.slug}/sign/", sign_form_data(email="a@example.org"))
    client.post(f"/petitions/{their_petition.slug}/sign/", sign_form_data(email="b@example.org"))
    sign_in(client, make_staff(ours, Role.DATA_OFFICER))
    html = client.get("/admin/signatures/signature/").content.decode()
    ours_id = Signature.objects.get(petition=our_petition).pk
    theirs_id = Signature.objects.get(petition=their_petition).pk
    assert f"/admin/signatures/signature/{ours_id}/change/" in html
    assert f"/admin/signatures/signature/{theirs_id}/change/" not in html


def test_editor_cannot_list_signatures(client, two_organisations):
    sign_in(client, two_organisations["editor"])
    assert client.get("/admin/signatures/signature/").status_code == 403


def test_editor_offers_a_petition_in_german_and_the_page_links_to_it(client, two_organisations):
    ours = two_organisations["ours"]
    ours.status = PetitionStatus.OPEN
    ours.languages = ["en", "de"]
    ours.save()
    html = client.get(f"/petitions/{ours.slug}/").content.decode()
    assert 'hreflang="de"' in html
    assert 'hreflang="es"' not in html


def test_admin_form_always_keeps_the_default_language():
    from undersigned.petitions.admin import PetitionForm

    form = PetitionForm()
    form.cleaned_data = {"languages": ["es"]}
    assert form.clean_languages() == ["en", "es"]


@pytest.mark.parametrize(
    "hostile", ["</title><script>alert(1)</script>", '"><img src=x onerror=alert(1)>']
)
def test_hostile_titles_stay_inert_in_title_and_meta_tags(client, hostile):
    case = make_case(title_en=f"Case {hostile}", summary_en=f"Summary {hostile}")
    petition = make_petition(case=case, title_en=f"Petition {hostile}")
    for path in (f"/cases/{case.slug}/", f"/petitions/{petition.slug}/"):
        html = client.get(path).content.decode()
        head = html.split("</head>")[0]
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert head.count("</title>") == 1
        assert "&lt;/title&gt;" in head or "&quot;&gt;&lt;img" in head


def test_closing_by_the_status_field_dates_the_closing_for_retention(client, two_organisations):
    petition = two_organisations["ours"]
    petition.status, petition.closes_at = PetitionStatus.OPEN, None
    petition.save()
    sign_in(client, two_organisations["editor"])
    url = f"/admin/petitions/petition/{petition.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {field.html_name: field.value() for field in form}
    data = {name: "" if value is None else value for name, value in data.items()}
    # Date and time arrive as two inputs each (the admin's split widget).
    opens = timezone.localtime(petition.opens_at)
    data |= {"opens_at_0": opens.date().isoformat(), "opens_at_1": opens.time().isoformat(),
             "closes_at_0": "", "closes_at_1": ""}  # fmt: skip
    data["status"] = PetitionStatus.CLOSED

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    petition.refresh_from_db()
    assert petition.status == PetitionStatus.CLOSED
    assert petition.closes_at is not None  # retention counts its months from here
