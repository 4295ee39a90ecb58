"""An index on the span between a deal's first and last report (PostgreSQL only).

The `date_to` filter reads the longest span from it to bound the last report, so a newest-first
list of old deals starts near the date asked for. SQLite (the bare-machine default) does without.
"""

from django.db import migrations

INDEXES = {
    "deal_report_span": "ON deals_deal ((last_reported - first_reported))",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} {definition}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("deals", "0004_listing_indexes")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
