"""PostgreSQL only: an index that holds the counts too, so the public history endpoint reads
a petition's hours by an index-only scan (docs/milestones.md: 60 ms → 13 ms for two years).
SQLite has no INCLUDE; its small installations do not need it."""

from django.db import migrations

CREATE = (
    "CREATE INDEX IF NOT EXISTS hourly_count_covering ON signatures_hourlycount "
    "(petition_id, country, hour) INCLUDE (count)"
)
DROP = "DROP INDEX IF EXISTS hourly_count_covering"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("signatures", "0007_signature_source")]
    operations = [migrations.RunPython(create, drop)]
