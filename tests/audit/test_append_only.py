"""An audit entry, once written, can be neither changed nor deleted: not through the ORM's
public paths, not through the admin, and (by a trigger) not by SQL either."""

import pytest
from django.db import DatabaseError, connection, transaction

from tests.factories import make_organisation, make_staff
from tests.sign_in import sign_in
from undersigned.audit.models import AuditAction, AuditLogEntry, AuditLogIsAppendOnly
from undersigned.audit.services import record
from undersigned.campaigns.models import Role

pytestmark = pytest.mark.django_db

TABLE = AuditLogEntry._meta.db_table


@pytest.fixture
def entry():
    return record(AuditAction.RETENTION_RUN, organisation_id=1, row_count=5, detail="as written")


def as_written(entry) -> bool:
    return AuditLogEntry.objects.filter(pk=entry.pk, detail="as written", row_count=5).exists()


def test_saving_a_stored_entry_again_is_refused(entry):
    entry.detail = "rewritten"
    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    with pytest.raises(AuditLogIsAppendOnly):
        entry.save(update_fields=["detail"])
    assert as_written(entry)


def test_a_new_entry_cannot_be_forced_onto_an_old_ones_id(entry):
    imposter = AuditLogEntry(pk=entry.pk, action=AuditAction.SIGN_IN, detail="rewritten")
    with pytest.raises(AuditLogIsAppendOnly):
        imposter.save(force_update=True)
    assert as_written(entry)


def test_deleting_an_entry_is_refused(entry):
    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()
    assert as_written(entry)


@pytest.mark.parametrize(
    "change",
    [
        lambda entries, entry: entries.update(detail="rewritten"),
        lambda entries, entry: entries.delete(),
        lambda entries, entry: entries.bulk_update([entry], ["detail"]),
        lambda entries, entry: entries.update_or_create(pk=entry.pk, defaults={"detail": "x"}),
    ],
    ids=["update", "delete", "bulk_update", "update_or_create"],
)
def test_bulk_changes_through_the_queryset_are_refused(entry, change):
    entry.detail = "rewritten"
    with pytest.raises(AuditLogIsAppendOnly):
        change(AuditLogEntry.objects.filter(pk=entry.pk), entry)
    assert as_written(entry)


def test_the_database_refuses_an_update_in_sql(entry):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET detail = 'x' WHERE id = %s", [entry.pk])  # noqa: S608
    assert as_written(entry)


def test_postgresql_refuses_a_delete_in_sql(entry):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no DELETE trigger: Django's test flush empties tables by DELETE")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [entry.pk])  # noqa: S608
    assert as_written(entry)


def test_the_operator_reads_the_log_in_the_admin_but_cannot_change_it(client, entry):
    from django.contrib.auth.models import User

    operator = User.objects.create_superuser("operator", password="a-long-test-password")
    sign_in(client, operator)
    assert client.get("/admin/audit/auditlogentry/").status_code == 200
    assert client.get("/admin/audit/auditlogentry/add/").status_code == 403
    change_page = client.get(f"/admin/audit/auditlogentry/{entry.pk}/change/")
    assert b'name="detail"' not in change_page.content  # shown, not editable
    assert client.post(f"/admin/audit/auditlogentry/{entry.pk}/delete/").status_code == 403
    assert as_written(entry)


def test_an_organisation_admin_does_not_get_the_whole_log_in_the_admin(client, entry):
    sign_in(client, make_staff(make_organisation(), Role.ADMIN))
    assert client.get("/admin/audit/auditlogentry/").status_code == 403
    assert b"auditlogentry" not in client.get("/admin/").content
