"""The staff audit log page: an organisation's admins read their organisation's entries,
newest first, a page at a time, one kind at a time if they like."""

import pytest

from tests.audit.helpers import audit_page
from tests.factories import make_organisation, make_staff
from tests.sign_in import sign_in
from undersigned.audit.models import AuditAction
from undersigned.audit.services import record
from undersigned.campaigns.models import Role
from undersigned.privacy.exports.views import AUDIT_LOG_PAGE_SIZE

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    return make_organisation()


@pytest.fixture
def admin_client(client, organisation):
    sign_in(client, make_staff(organisation, Role.ADMIN))
    return client


@pytest.mark.parametrize(
    "action",
    [AuditAction.INVALIDATION, AuditAction.SIGNER_ERASED, AuditAction.RETENTION_RUN],
)
def test_events_other_apps_record_show_for_their_organisation_only(client, organisation, action):
    other = make_organisation()
    record(action, organisation_id=organisation.pk, subject="ours", row_count=3)
    record(action, organisation_id=other.pk, subject="theirs", row_count=4)
    sign_in(client, make_staff(organisation, Role.ADMIN))
    table = audit_page(client)
    assert "ours" in table and "theirs" not in table
    sign_in(client, make_staff(other, Role.ADMIN))
    table = audit_page(client)
    assert "theirs" in table and "ours" not in table


def test_the_filter_shows_one_kind_of_entry(admin_client, organisation):
    record(AuditAction.INVALIDATION, organisation_id=organisation.pk, subject="fraud wave")
    record(AuditAction.RETENTION_RUN, organisation_id=organisation.pk, subject="monthly run")
    table = audit_page(admin_client, f"?action={AuditAction.RETENTION_RUN}")
    assert "monthly run" in table and "fraud wave" not in table


def test_an_unknown_filter_shows_everything_and_says_so(admin_client, organisation):
    record(AuditAction.INVALIDATION, organisation_id=organisation.pk, subject="fraud wave")
    response = admin_client.get("/staff/audit-log/?action=%3Cscript%3E")
    html = response.content.decode()
    assert response.status_code == 200
    assert "fraud wave" in html
    assert "That kind of entry does not exist" in html and "<script>" not in html


def test_the_log_comes_a_page_at_a_time_and_the_filter_follows_the_pages(
    admin_client, organisation
):
    for n in range(AUDIT_LOG_PAGE_SIZE + 1):
        record(AuditAction.RETENTION_RUN, organisation_id=organisation.pk, subject=f"run {n}")
    first = admin_client.get(f"/staff/audit-log/?action={AuditAction.RETENTION_RUN}")
    html = first.content.decode()
    assert f"run {AUDIT_LOG_PAGE_SIZE}<" in html and "run 0<" not in html
    assert f"?page=2&amp;action={AuditAction.RETENTION_RUN}" in html
    second = audit_page(admin_client, f"?page=2&action={AuditAction.RETENTION_RUN}")
    assert "run 0<" in second


def test_the_page_reads_the_log_in_a_fixed_number_of_queries(
    admin_client, organisation, django_assert_max_num_queries
):
    for n in range(50):
        record(AuditAction.RETENTION_RUN, organisation_id=organisation.pk, subject=f"run {n}")
    with django_assert_max_num_queries(8):
        audit_page(admin_client)
