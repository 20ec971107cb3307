"""The shared cache (rate limits, slot pages) works from `migrate` alone, on either backend."""

from importlib import import_module
from types import SimpleNamespace

from django.core.cache import cache
from django.db import connection

from tests.test_settings import run_django

create_cache_table = import_module(
    "mockri.accounts.migrations.0006_database_cache_table"
).create_cache_table

USE_THE_CACHE = (
    "import django; django.setup(); from django.core.cache import cache; "
    "cache.set('signup-attempts', 1); print(cache.get('signup-attempts'))"
)


def test_migrate_alone_gives_a_working_database_cache(tmp_path):
    env = {"DJANGO_SETTINGS_MODULE": "mockri.settings", "REDIS_URL": ""}  # a fresh SQLite file
    migrated = run_django(["manage.py", "migrate", "--noinput", "-v0"], env, tmp_path)
    used = run_django(["-c", USE_THE_CACHE], env, tmp_path)

    assert migrated.returncode == 0, migrated.stderr
    assert (used.returncode, used.stdout, used.stderr) == (0, "1\n", "")


def test_the_cache_table_migration_keeps_a_table_made_by_hand_before_it(db):
    cache.set("kept", "yes")  # the test database's table, made by createcachetable

    create_cache_table(None, SimpleNamespace(connection=connection))

    assert cache.get("kept") == "yes"


def test_redis_url_gives_a_redis_cache_whose_client_is_installed(tmp_path):
    # Nothing listens on port 1: the cache gets as far as connecting (it once stopped at
    # "ModuleNotFoundError: redis", the client library not being a dependency).
    env = {"DJANGO_SETTINGS_MODULE": "mockri.settings", "REDIS_URL": "redis://127.0.0.1:1/0"}
    result = run_django(["-c", USE_THE_CACHE], env, tmp_path)

    assert result.returncode == 1
    assert result.stderr.splitlines()[-1].startswith("redis.exceptions.ConnectionError:")
