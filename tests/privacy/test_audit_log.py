"""Every export is on record — who, when, which petition, how many rows — for the
organisation's admins, and only theirs."""

import pytest

from tests.factories import make_case, make_organisation, make_petition, make_staff
from tests.privacy.helpers import add_signature, add_signatures, streamed_body
from undersigned.campaigns.models import Role
from undersigned.privacy import exports
from undersigned.privacy.models import AuditLogEntry, ExportKind
from undersigned.privacy.services import record_export

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return make_organisation()


@pytest.fixture
def petition(organisation):
    return make_petition(case=make_case(organisation=organisation), title_en="Free them")


def test_a_signatures_export_records_who_exported_which_petition_and_how_many_rows(
    client, petition
):
    add_signatures(petition, 3)
    add_signature(petition, confirmed_at=None)
    officer = make_staff(petition.case.organisation, Role.DATA_OFFICER, username="olga")
    client.force_login(officer)
    streamed_body(
        client.get(f"/staff/petitions/{petition.slug}/export/signatures.csv?with_email=1")
    )
    entry = AuditLogEntry.objects.get()
    assert (entry.user, entry.username, entry.organisation, entry.petition) == (
        officer, "olga", petition.case.organisation, petition,
    )  # fmt: skip
    assert (entry.action, entry.row_count, entry.completed) == (
        ExportKind.SIGNATURES_CSV_WITH_EMAIL, 3, True,
    )  # fmt: skip


def test_an_aggregate_export_records_its_row_count(client, petition):
    add_signatures(petition, 3, country="DE")
    add_signatures(petition, 1, country="FR")
    client.force_login(make_staff(petition.case.organisation, Role.ANALYST))
    streamed_body(client.get(f"/staff/petitions/{petition.slug}/export/countries-by-day.csv"))
    entry = AuditLogEntry.objects.get()
    assert (entry.action, entry.row_count, entry.completed) == (ExportKind.AGGREGATE_CSV, 2, True)


def test_a_download_cut_off_midway_is_recorded_with_the_rows_sent_and_not_completed(petition):
    add_signatures(petition, 5000)
    export = exports.signatures_csv(petition, make_staff(petition.case.organisation,
                                    Role.DATA_OFFICER), with_email=True)  # fmt: skip
    first_chunk = next(export.chunks)
    export.chunks.close()  # what the server does when the client goes away
    entry = AuditLogEntry.objects.get()
    assert not entry.completed
    assert entry.row_count == first_chunk.count("\n") - 1  # less the header
    assert 0 < entry.row_count < 5000


def test_an_export_the_server_never_started_is_still_on_record(petition):
    add_signatures(petition, 2)
    staff = make_staff(petition.case.organisation, Role.DATA_OFFICER)
    exports.signatures_csv(petition, staff, with_email=False)
    entry = AuditLogEntry.objects.get()
    assert (entry.row_count, entry.completed) == (0, False)


def test_the_account_being_deleted_leaves_the_username_on_record(petition):
    staff = make_staff(petition.case.organisation, Role.EDITOR, username="gone")
    record_export(staff, petition, ExportKind.DELIVERY_PDF, row_count=1)
    staff.delete()
    entry = AuditLogEntry.objects.get()
    assert (entry.user, entry.username) == (None, "gone")


def test_admin_sees_their_organisations_exports_newest_first(client, petition):
    staff = make_staff(petition.case.organisation, Role.EDITOR, username="erin")
    record_export(staff, petition, ExportKind.DELIVERY_PDF, row_count=7)
    record_export(staff, petition, ExportKind.SIGNATURES_CSV, row_count=1234)
    client.force_login(make_staff(petition.case.organisation, Role.ADMIN))
    html = client.get("/staff/audit-log/").content.decode()
    assert "erin" in html and "Free them" in html and "1,234" in html
    assert html.index("signatures (CSV)") < html.index("delivery document (PDF)")


def test_admin_does_not_see_another_organisations_exports(client, petition):
    other = make_petition(case=make_case(organisation=make_organisation()), title_en="Not yours")
    record_export(make_staff(other.case.organisation, Role.EDITOR), other, ExportKind.DELIVERY_PDF)
    client.force_login(make_staff(petition.case.organisation, Role.ADMIN))
    html = client.get("/staff/audit-log/").content.decode()
    assert "Not yours" not in html
    assert "Nothing has been exported yet." in html


@pytest.mark.parametrize("role", [Role.EDITOR, Role.ANALYST, Role.DATA_OFFICER])
def test_staff_who_are_not_admins_cannot_open_the_audit_log(client, organisation, role):
    client.force_login(make_staff(organisation, role))
    assert client.get("/staff/audit-log/").status_code == 403


def test_signed_out_visitor_is_sent_to_sign_in_for_the_audit_log(client):
    response = client.get("/staff/audit-log/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/")
