"""The suite runs on the database that DATABASE_URL names (SQLite when unset), so the PostgreSQL
run of scripts/test.sh really exercises PostgreSQL, and each xdist worker has its own database."""

from __future__ import annotations

import os

import pytest
from django.db import connection


@pytest.mark.django_db
def test_database_engine_follows_database_url() -> None:
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


@pytest.mark.django_db
def test_each_xdist_worker_has_its_own_test_database() -> None:
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite":
        assert connection.is_in_memory_db() or name.startswith("test_") or "test" in name
    else:
        assert name.startswith("test_")
        if worker:
            assert name.endswith(f"_{worker}")
