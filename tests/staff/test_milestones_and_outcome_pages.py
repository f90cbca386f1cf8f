"""An editor sets milestones, records the target's response and moves the outcome from the
petition's "Milestones and outcome" page; bad input is refused with the reason."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from tests.factories import make_case, make_organisation, make_petition, make_staff
from tests.sign_in import sign_in
from undersigned.audit.models import AuditAction, AuditLogEntry
from undersigned.campaigns.models import Role
from undersigned.petitions.models import Milestone, Outcome

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_and_petition(client):
    organisation = make_organisation()
    petition = make_petition(case=make_case(organisation=organisation))
    editor = make_staff(organisation, Role.EDITOR)
    sign_in(client, editor)
    return editor, petition


def url(petition, tail=""):
    return f"/staff/petitions/{petition.slug}/{tail}"


def test_editor_adds_a_milestone_with_a_note_and_it_is_audited(client, editor_and_petition):
    editor, petition = editor_and_petition
    response = client.post(
        url(petition, "milestones/"), {"count": "5000", "note_en": "We go to parliament"}
    )
    assert response.status_code == 303
    milestone = Milestone.objects.get(petition=petition)
    assert (milestone.count, milestone.note) == (5000, "We go to parliament")
    entry = AuditLogEntry.objects.get(action=AuditAction.MILESTONE_CHANGED)
    assert entry.user_id == editor.pk
    assert "5,000" in client.get(url(petition, "outcome/")).content.decode()


@pytest.mark.parametrize(
    ("count", "message"),
    [("0", "at least 1"), ("-5", "at least 1"), ("many", "whole number"),
     ("2000000000", "above one billion")],
)  # fmt: skip
def test_a_bad_milestone_count_is_refused_with_the_reason(
    client, editor_and_petition, count, message
):
    _editor, petition = editor_and_petition
    response = client.post(url(petition, "milestones/"), {"count": count})
    assert response.status_code == 422
    assert message in response.content.decode()
    assert 'class="error-summary"' in response.content.decode()
    assert not Milestone.objects.exists()


def test_a_second_milestone_at_the_same_count_is_refused(client, editor_and_petition):
    _editor, petition = editor_and_petition
    client.post(url(petition, "milestones/"), {"count": "100"})
    response = client.post(url(petition, "milestones/"), {"count": "100"})
    assert response.status_code == 422
    assert "already has that milestone" in response.content.decode()


def test_an_outcome_that_skips_a_step_is_refused_with_the_reason(client, editor_and_petition):
    _editor, petition = editor_and_petition
    response = client.post(
        url(petition, "outcome/change/"), {"outcome": "won", "changed_on": "2026-12-01"}
    )
    assert response.status_code == 422
    assert "cannot skip a step" in response.content.decode()
    petition.refresh_from_db()
    assert petition.outcome == Outcome.AWAITING_RESPONSE


def test_editor_records_the_response_and_the_public_page_shows_it_sanitised(
    client, editor_and_petition
):
    _editor, petition = editor_and_petition
    response = client.post(
        url(petition, "response/"),
        {"responded_on": "2026-11-30", "body_en": "No. <img src=x onerror=alert(1)>",
         "link": "https://gov.example/answer"},
    )  # fmt: skip
    assert response.status_code == 303
    petition.refresh_from_db()
    assert petition.outcome == Outcome.RESPONDED
    page = client.get(f"/petitions/{petition.slug}/").content.decode()
    assert "<img src=x" not in page  # escaped as text, never an element
    assert "https://gov.example/answer" in page


def test_a_response_document_must_be_a_pdf(client, editor_and_petition):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _editor, petition = editor_and_petition
    fake = SimpleUploadedFile("answer.pdf", b"<html>not a pdf</html>", "application/pdf")
    response = client.post(
        url(petition, "response/"),
        {"responded_on": "2026-11-30", "body_en": "Yes.", "document": fake},
    )
    assert response.status_code == 422
    assert "Upload a PDF document." in response.content.decode()


def test_a_response_pdf_is_linked_from_the_page_and_served_as_a_download(
    client, editor_and_petition, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    _editor, petition = editor_and_petition
    pdf = SimpleUploadedFile("Antwort für uns.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    response = client.post(
        url(petition, "response/"),
        {"responded_on": "2026-11-30", "body_en": "Yes.", "document": pdf},
    )
    assert response.status_code == 303
    page = client.get(f"/petitions/{petition.slug}/").content.decode()
    link = re.search(r'href="(/media/responses/response-[0-9]+-[0-9a-f]{16}\.pdf)"', page)
    assert link, "the page links to the stored document"
    served = client.get(link.group(1))
    assert (served.status_code, served["Content-Type"]) == (200, "application/pdf")
    assert served["Content-Disposition"] == "attachment"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert client.get("/media/responses/kept.jpg").status_code == 404  # PDFs only there


def test_editor_writes_the_email_of_a_reached_milestone_whose_count_then_stays(
    client, editor_and_petition
):
    _editor, petition = editor_and_petition
    milestone = Milestone.objects.create(petition=petition, count=10, crossed_at=timezone.now())
    page = client.get(url(petition, f"milestones/{milestone.pk}/"))
    assert page.status_code == 200
    assert 'value="10"' in page.content.decode()
    response = client.post(
        url(petition, f"milestones/{milestone.pk}/"),
        {"count": "20", "email_subject_de": "Zehn!", "email_body_en": "We are *ten*."},
    )
    assert response.status_code == 303
    milestone.refresh_from_db()
    texts = (getattr(milestone, "email_subject_de"), getattr(milestone, "email_body_en"))  # noqa: B009
    assert (milestone.count, *texts) == (
        10, "Zehn!", "We are *ten*.",
    )  # fmt: skip
