"""The database itself refuses to change or delete audit entries, whatever the code does.

PostgreSQL: a trigger refuses UPDATE and DELETE. TRUNCATE (which only the table's owner may
run, and which Django's test flush uses) does not fire row triggers.

SQLite: a trigger refuses UPDATE only. Django's flush on SQLite (between transactional tests,
and `manage.py flush`) empties tables with DELETE, so a DELETE trigger there would break it;
on SQLite — a single-file installation whose owner can edit the file anyway — deletion is
refused by the model's guards (AuditLogEntry.delete, AuditLogQuerySet.delete).
"""

from django.db import migrations

POSTGRESQL_UP = """
CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % refused', TG_OP;
END;
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_auditlogentry
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
"""
POSTGRESQL_DOWN = """
DROP TRIGGER IF EXISTS audit_log_append_only ON audit_auditlogentry;
DROP FUNCTION IF EXISTS audit_log_refuse_change();
"""
SQLITE_UP = """
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_auditlogentry
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: UPDATE refused');
END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS audit_log_no_update;"


def _run(schema_editor, by_vendor):
    sql = by_vendor.get(schema_editor.connection.vendor)
    if sql:  # other databases: the model's guards only
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)


def add_triggers(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRESQL_UP, "sqlite": SQLITE_UP})


def drop_triggers(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRESQL_DOWN, "sqlite": SQLITE_DOWN})


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_copy_export_log")]

    operations = [migrations.RunPython(add_triggers, drop_triggers)]
