"""Every export is on record — who, when, which petition, how many rows — as two entries, one
when it starts and one when it ends, for the organisation's admins and only theirs."""

import pytest

from tests.factories import (
    make_case,
    make_organisation,
    make_petition,
    make_signature,
    make_signatures,
    make_staff,
)
from tests.privacy.helpers import streamed_body
from tests.sign_in import sign_in
from undersigned.audit.models import AuditAction, AuditLogEntry
from undersigned.campaigns.models import Role
from undersigned.privacy.exports import csv_files as exports
from undersigned.privacy.exports.services import (
    EXPORT_KINDS,
    record_export_ended,
    record_export_started,
)

pytestmark = pytest.mark.django_db

EXPORT_ENDS = [AuditAction.EXPORT_FINISHED, AuditAction.EXPORT_CUT_OFF]


def export_entries() -> list[AuditLogEntry]:
    """Export entries, oldest first (sign-ins and role grants of the test's staff left out)."""
    kinds = [*EXPORT_KINDS, *EXPORT_ENDS]
    return list(AuditLogEntry.objects.filter(action__in=kinds).order_by("id"))


@pytest.fixture
def organisation():
    return make_organisation()


@pytest.fixture
def petition(organisation):
    return make_petition(case=make_case(organisation=organisation), title_en="Free them")


def test_a_signatures_export_records_who_exported_which_petition_and_how_many_rows(
    client, petition
):
    make_signatures(petition, 3)
    make_signature(petition, confirmed_at=None)
    officer = make_staff(petition.case.organisation, Role.DATA_OFFICER, username="olga")
    sign_in(client, officer)
    streamed_body(
        client.get(f"/staff/petitions/{petition.slug}/export/signatures.csv?with_email=1")
    )
    started, ended = export_entries()
    for entry in (started, ended):
        assert (entry.user_id, entry.username, entry.organisation_id, entry.petition_id) == (
            officer.pk, "olga", petition.case.organisation_id, petition.pk,
        )  # fmt: skip
        assert entry.subject == "Free them"
    assert (started.action, started.row_count) == (AuditAction.SIGNATURES_CSV_WITH_EMAIL, 0)
    assert (ended.action, ended.row_count) == (AuditAction.EXPORT_FINISHED, 3)
    assert f"#{started.pk}" in ended.detail


def test_an_aggregate_export_records_its_row_count(client, petition):
    make_signatures(petition, 3, country="DE")
    make_signatures(petition, 1, country="FR")
    sign_in(client, make_staff(petition.case.organisation, Role.ANALYST))
    streamed_body(client.get(f"/staff/petitions/{petition.slug}/export/countries-by-day.csv"))
    started, ended = export_entries()
    assert started.action == AuditAction.AGGREGATE_CSV
    assert (ended.action, ended.row_count) == (AuditAction.EXPORT_FINISHED, 2)


def test_a_download_cut_off_midway_is_recorded_with_the_rows_sent(petition):
    make_signatures(petition, 5000)
    export = exports.signatures_csv(petition, make_staff(petition.case.organisation,
                                    Role.DATA_OFFICER), with_email=True)  # fmt: skip
    first_chunk = next(export.chunks)
    export.chunks.close()  # what the server does when the client goes away
    _started, ended = export_entries()
    assert ended.action == AuditAction.EXPORT_CUT_OFF
    assert ended.row_count == first_chunk.count("\n") - 1  # less the header
    assert 0 < ended.row_count < 5000


def test_an_export_the_server_never_started_is_still_on_record(petition):
    make_signatures(petition, 2)
    staff = make_staff(petition.case.organisation, Role.DATA_OFFICER)
    exports.signatures_csv(petition, staff, with_email=False)
    [started] = export_entries()  # and no end
    assert (started.action, started.row_count) == (AuditAction.SIGNATURES_CSV, 0)


def test_the_end_of_an_export_is_a_new_entry_and_the_start_is_left_as_it_was(petition):
    staff = make_staff(petition.case.organisation, Role.DATA_OFFICER)
    started = record_export_started(staff, petition, AuditAction.SIGNATURES_CSV)
    before = AuditLogEntry.objects.filter(pk=started.pk).values().get()
    record_export_ended(started, staff, row_count=9, completed=True)
    assert AuditLogEntry.objects.filter(pk=started.pk).values().get() == before


def test_the_account_being_deleted_leaves_the_username_on_record(petition):
    staff = make_staff(petition.case.organisation, Role.EDITOR, username="gone")
    record_export_started(staff, petition, AuditAction.DELIVERY_PDF)
    staff.delete()
    [entry] = export_entries()
    assert entry.username == "gone"


def test_admin_sees_their_organisations_exports_newest_first(client, petition):
    staff = make_staff(petition.case.organisation, Role.EDITOR, username="erin")
    pdf = record_export_started(staff, petition, AuditAction.DELIVERY_PDF)
    record_export_ended(pdf, staff, row_count=7, completed=True)
    csv = record_export_started(staff, petition, AuditAction.SIGNATURES_CSV)
    record_export_ended(csv, staff, row_count=1234, completed=False)
    sign_in(client, make_staff(petition.case.organisation, Role.ADMIN))
    html = client.get("/staff/audit-log/").content.decode()
    html = html[html.index("<tbody>") :]  # the table, not the filter's list of actions
    assert "erin" in html and "Free them" in html and "1,234" in html
    assert html.index("export cut off") < html.index("signatures (CSV)")
    assert html.index("signatures (CSV)") < html.index("delivery document (PDF)")


def test_admin_does_not_see_another_organisations_exports(client, petition):
    other = make_petition(case=make_case(organisation=make_organisation()), title_en="Not yours")
    stranger = make_staff(other.case.organisation, Role.EDITOR)
    record_export_started(stranger, other, AuditAction.DELIVERY_PDF)
    sign_in(client, make_staff(petition.case.organisation, Role.ADMIN))
    html = client.get(f"/staff/audit-log/?action={AuditAction.DELIVERY_PDF}").content.decode()
    assert "Not yours" not in html
    assert "Nothing is on record yet." in html


# Who may open the audit log (admins only; signed-out visitors go to sign in): the permission
# matrix, tests/backoffice/test_permission_matrix.py.
