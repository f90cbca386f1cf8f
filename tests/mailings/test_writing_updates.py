"""Staff write an update on a case; it shows on the case page and may be emailed to signers."""

from __future__ import annotations

import pytest

from tests.factories import make_case, make_organisation, make_petition, make_signature, make_staff
from tests.mailings.helpers import send_whole_mailing
from tests.sign_in import sign_in
from undersigned.campaigns.models import Role, Update
from undersigned.mailings.models import MailingStatus, UpdateDelivery, UpdateMailing
from undersigned.mailings.selectors import update_recipients

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "published_on": "2021-01-04",
        "title_en": "Extradition refused",
        "body_en": "The judge **refused** the request.",
        "title_de": "", "body_de": "", "title_es": "", "body_es": "",
        "per_minute": "600",
    }  # fmt: skip
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def _url(case):
    return f"/staff/cases/{case.slug}/updates/new/"


def test_editor_writes_an_update_and_it_appears_on_the_public_case_page(client):
    case = make_case()
    sign_in(client, make_staff(case.organisation, Role.EDITOR))
    assert client.get(_url(case)).status_code == 200
    response = client.post(_url(case), _form(title_de="Auslieferung abgelehnt", body_de="Nein."))
    assert response.status_code == 303
    assert response["Location"] == f"/staff/cases/{case.slug}/updates/"
    assert not UpdateMailing.objects.exists()
    page = client.get(f"/cases/{case.slug}/").content.decode()
    assert "Extradition refused" in page
    assert "<strong>refused</strong>" in page
    german = client.get(f"/cases/{case.slug}/", headers={"accept-language": "de"})
    assert "Auslieferung abgelehnt" in german.content.decode()


def test_editor_who_ticks_email_is_taken_to_the_mailing_progress(client):
    case = make_case()
    make_signature(make_petition(case=case), opted_in=True)
    make_signature(make_petition(case=case), opted_in=True)
    user = make_staff(case.organisation, Role.EDITOR)
    sign_in(client, user)
    response = client.post(_url(case), _form(email_signers="on", per_minute="30"))
    mailing = UpdateMailing.objects.get()
    assert response.status_code == 303
    assert response["Location"] == f"/staff/mailings/{mailing.pk}/"
    assert (mailing.total, mailing.per_minute, mailing.created_by) == (2, 30, user)
    assert mailing.status == MailingStatus.SENDING
    progress = client.get(response["Location"]).content.decode()
    assert '"sent">0</strong> of <strong data-field="total">2</strong> sent' in progress
    assert 'http-equiv="refresh"' in progress  # without JavaScript the page refreshes itself


def test_a_mailing_with_nobody_to_email_is_finished_at_once(client):
    case = make_case()
    sign_in(client, make_staff(case.organisation, Role.EDITOR))
    client.post(_url(case), _form(email_signers="on"))
    assert UpdateMailing.objects.get().status == MailingStatus.FINISHED


def test_the_same_update_submitted_twice_is_published_and_emailed_once(client):
    case = make_case()
    make_signature(make_petition(case=case), opted_in=True)
    sign_in(client, make_staff(case.organisation, Role.EDITOR))
    client.post(_url(case), _form(email_signers="on"))
    again = client.post(_url(case), _form(email_signers="on"))
    assert again.status_code == 422
    assert "already has an update of this date and title" in again.content.decode()
    assert Update.objects.count() == 1
    assert UpdateDelivery.objects.count() == 1


def test_english_title_and_text_are_required(client):
    case = make_case()
    sign_in(client, make_staff(case.organisation, Role.EDITOR))
    response = client.post(_url(case), _form(title_en="", body_en=""))
    assert response.status_code == 422
    assert response.content.decode().count("This field is required.") == 2
    assert not Update.objects.exists()


def test_a_german_title_without_german_text_is_refused_with_a_clear_message(client):
    case = make_case()
    sign_in(client, make_staff(case.organisation, Role.EDITOR))
    response = client.post(_url(case), _form(title_de="Nur ein Titel"))
    assert response.status_code == 422
    assert "Add the text too, or leave both empty." in response.content.decode()


def test_analyst_may_not_write_updates(client):
    case = make_case()
    sign_in(client, make_staff(case.organisation, Role.ANALYST))
    assert client.get(_url(case)).status_code == 403
    assert client.post(_url(case), _form(email_signers="on")).status_code == 403
    assert not Update.objects.exists()


def test_data_officer_may_not_write_updates(client):
    case = make_case()
    sign_in(client, make_staff(case.organisation, Role.DATA_OFFICER))
    assert client.post(_url(case), _form()).status_code == 403


def test_editor_of_another_organisation_is_told_the_case_does_not_exist(client):
    case = make_case()
    sign_in(client, make_staff(make_organisation(), Role.EDITOR))
    assert client.get(_url(case)).status_code == 404
    assert client.post(_url(case), _form(email_signers="on")).status_code == 404
    assert client.get(f"/staff/cases/{case.slug}/updates/").status_code == 404
    assert not Update.objects.exists()


def test_signed_out_visitor_is_sent_to_sign_in(client):
    case = make_case()
    for response in (client.get(_url(case)), client.post(_url(case), _form())):
        assert response.status_code == 302
        assert response["Location"].startswith("/staff/login/")


def test_recipients_are_one_per_person_among_confirmed_valid_opted_in_signers():
    case = make_case()
    first, second = make_petition(case=case), make_petition(case=case)
    wanted = make_signature(first, email="a@example.org", opted_in=True)
    make_signature(first, email="Twice@Example.org", opted_in=True)
    latest = make_signature(second, email="twice+x@example.org", language="es", opted_in=True)
    make_signature(first, email="no@example.org")
    make_signature(first, email="pending@example.org", confirmed=False, opted_in=True)
    make_signature(second, email="bot@example.org", invalidated=True, opted_in=True)
    make_signature(make_petition(), email="elsewhere@example.org", opted_in=True)
    assert set(update_recipients(case)) == {wanted, latest}


def test_progress_page_is_for_members_who_send_updates_or_see_numbers(client):
    case = make_case()
    make_signature(make_petition(case=case), opted_in=True)
    sign_in(client, make_staff(case.organisation, Role.EDITOR))
    client.post(_url(case), _form(email_signers="on"))
    mailing = UpdateMailing.objects.get()
    page, data = f"/staff/mailings/{mailing.pk}/", f"/staff/mailings/{mailing.pk}/progress.json"
    sign_in(client, make_staff(case.organisation, Role.ANALYST))
    assert client.get(page).status_code == 200
    assert client.get(data).json() == {
        "total": 1, "sent": 0, "skipped": 0, "failed": 0, "pending": 1, "finished": False,
        "percent": 0,
    }  # fmt: skip
    sign_in(client, make_staff(make_organisation(), Role.ADMIN))
    assert client.get(page).status_code == 404
    assert client.get(data).status_code == 404
    client.logout()
    assert client.get(data).status_code == 302


def test_progress_shows_sent_of_total_and_stops_refreshing_when_done(client, smtp_sink):
    case = make_case()
    for _ in range(3):
        make_signature(make_petition(case=case), opted_in=True)
    sign_in(client, make_staff(case.organisation, Role.EDITOR))
    client.post(_url(case), _form(email_signers="on", per_minute="6000"))
    mailing = UpdateMailing.objects.get()
    send_whole_mailing(mailing)
    assert len(smtp_sink.messages) == 3
    page = client.get(f"/staff/mailings/{mailing.pk}/").content.decode()
    assert '"sent">3</strong> of <strong data-field="total">3</strong> sent' in page
    assert "finished" in page
    assert 'http-equiv="refresh"' not in page
    data = client.get(f"/staff/mailings/{mailing.pk}/progress.json").json()
    assert (data["sent"], data["total"], data["finished"], data["percent"]) == (3, 3, True, 100)
