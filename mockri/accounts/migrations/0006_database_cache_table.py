"""The database cache's table, so that `migrate` alone gives a working site: sign-up, sign-in and
privacy requests count attempts in the cache, and the slot picker keeps its pages there.

Created whatever CACHES says today, so a site that later drops REDIS_URL still has its table.
"""

from django.core.management import call_command
from django.db import migrations

# settings.CACHES' LOCATION for the database cache (a migration keeps its own copy).
TABLE = "mockri_cache"


def create_cache_table(apps, schema_editor):
    # createcachetable leaves an existing table alone (one made by hand before this migration).
    call_command(
        "createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0
    )


def drop_cache_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_consent_ip_address")]

    operations = [migrations.RunPython(create_cache_table, drop_cache_table, elidable=False)]
