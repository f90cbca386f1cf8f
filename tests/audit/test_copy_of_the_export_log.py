"""Migration audit 0002 copies the export log privacy kept into the audit log, times kept."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import make_case, make_organisation, make_petition, make_staff
from undersigned.audit.models import AuditAction, AuditLogEntry
from undersigned.campaigns.models import Role

BEFORE = [("audit", "0001_audit_log"), ("privacy", "0002_data_requests")]
THEN = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


@pytest.mark.django_db(transaction=True)
def test_old_export_entries_are_copied_with_their_time_account_petition_and_rows():
    # Back to before the copy: privacy's old table exists again (its removal is undone).
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_model = executor.loader.project_state(BEFORE).apps.get_model("privacy", "AuditLogEntry")
    organisation = make_organisation()
    petition = make_petition(case=make_case(organisation=organisation), title_en="Free them")
    officer = make_staff(organisation, Role.DATA_OFFICER, username="olga")
    common = {"username": "olga", "organisation_id": organisation.pk, "action": "signatures_csv"}
    done = old_model.objects.create(user_id=officer.pk, petition_id=petition.pk, row_count=12,
                                    completed=True, **common)  # fmt: skip
    cut = old_model.objects.create(petition_id=None, row_count=3, completed=False, **common)
    old_model.objects.filter(pk__in=[done.pk, cut.pk]).update(created_at=THEN)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # copies, then drops the old table

    copied = list(AuditLogEntry.objects.filter(created_at=THEN).order_by("id"))
    assert [(e.action, e.user_id, e.username, e.organisation_id) for e in copied] == [
        (AuditAction.SIGNATURES_CSV, officer.pk, "olga", organisation.pk),
        (AuditAction.SIGNATURES_CSV, None, "olga", organisation.pk),
    ]
    assert [(e.petition_id, e.subject, e.row_count) for e in copied] == [
        (petition.pk, "Free them", 12), (None, "", 3),
    ]  # fmt: skip
    assert copied[0].detail.endswith("completed") and copied[1].detail.endswith("cut off")
