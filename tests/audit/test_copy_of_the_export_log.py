"""Migration audit 0002 copies the export log privacy kept into the audit log, times kept."""

import importlib
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import make_case, make_organisation, make_petition, make_staff
from undersigned.audit.models import AuditAction, AuditLogEntry
from undersigned.campaigns.models import Role

pytestmark = pytest.mark.django_db

migration = importlib.import_module("undersigned.audit.migrations.0002_copy_export_log")
THEN = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


def test_old_export_entries_are_copied_with_their_time_account_petition_and_rows():
    state = MigrationExecutor(connection).loader.project_state(("audit", "0002_copy_export_log"))
    old_model = state.apps.get_model("privacy", "AuditLogEntry")
    if old_model._meta.db_table not in connection.introspection.table_names():
        pytest.skip("privacy's old export log is gone; this copy has run everywhere")
    organisation = make_organisation()
    petition = make_petition(case=make_case(organisation=organisation), title_en="Free them")
    officer = make_staff(organisation, Role.DATA_OFFICER, username="olga")
    common = {"username": "olga", "organisation_id": organisation.pk, "action": "signatures_csv"}
    done = old_model.objects.create(user_id=officer.pk, petition_id=petition.pk, row_count=12,
                                    completed=True, **common)  # fmt: skip
    cut = old_model.objects.create(petition_id=None, row_count=3, completed=False, **common)
    old_model.objects.filter(pk__in=[done.pk, cut.pk]).update(created_at=THEN)

    migration.copy_export_log(state.apps, connection.schema_editor())

    copied = list(AuditLogEntry.objects.filter(created_at=THEN).order_by("id"))
    assert [(e.action, e.user_id, e.username, e.organisation_id) for e in copied] == [
        (AuditAction.SIGNATURES_CSV, officer.pk, "olga", organisation.pk),
        (AuditAction.SIGNATURES_CSV, None, "olga", organisation.pk),
    ]
    assert [(e.petition_id, e.subject, e.row_count) for e in copied] == [
        (petition.pk, "Free them", 12), (None, "", 3),
    ]  # fmt: skip
    assert copied[0].detail.endswith("completed") and copied[1].detail.endswith("cut off")
