"""Covering indexes for the deals page's filters and facets (PostgreSQL only).

A party's deals and the live deals of some categories are then read from the indexes alone,
without visiting the tables. SQLite (the bare-machine default) does without them.
"""

from django.db import migrations

INDEXES = {
    "dealparty_party_role_deal": "ON deals_dealparty (party_id, role, deal_id)",
    "deal_live_category_cover": (
        "ON deals_deal (category_id) INCLUDE (id, status, review_state) WHERE merged_into_id IS NULL"
    ),
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
    dependencies = [("deals", "0003_access_groups")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
