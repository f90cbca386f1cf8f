"""Copy the export log that privacy kept (privacy.AuditLogEntry) into the audit log.

One old row was one export, written when it started and completed in place when it ended;
it becomes one entry with the export's kind, time, account, petition and rows, and a note
of whether it completed. One INSERT … SELECT: the rows never pass through Python, and the
times are kept (an ORM insert would stamp them "now").

privacy's migration that removes the old table must depend on this one.
"""

from django.db import migrations


def copy_export_log(apps, schema_editor):
    old = apps.get_model("privacy", "AuditLogEntry")._meta.db_table
    new = apps.get_model("audit", "AuditLogEntry")._meta.db_table
    petitions = apps.get_model("petitions", "Petition")._meta.db_table
    q = schema_editor.connection.ops.quote_name
    schema_editor.execute(
        f"INSERT INTO {q(new)} (created_at, action, user_id, username, organisation_id,"
        " petition_id, subject, row_count, detail)"
        " SELECT e.created_at, e.action, e.user_id, e.username, e.organisation_id,"
        " e.petition_id, COALESCE(SUBSTR(p.title, 1, 200), ''), e.row_count,"
        " CASE WHEN e.completed THEN %s ELSE %s END"
        f" FROM {q(old)} e LEFT JOIN {q(petitions)} p ON p.id = e.petition_id ORDER BY e.id",
        ["export (from the earlier log): completed", "export (from the earlier log): cut off"],
    )


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_audit_log"),
        ("privacy", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(copy_export_log, migrations.RunPython.noop, elidable=True),
    ]
