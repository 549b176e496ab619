"""A throwaway database for a process that needs its own: browser tests' server, the benchmark.

SQLite needs nothing (the caller points ACCORD_VAR_DIR at a temporary directory). PostgreSQL gets
a newly created database on the server the admin URL points at, dropped again afterwards.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager


def is_postgres(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://"))


def _admin(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        conn.execute(statement)  # type: ignore[arg-type,unused-ignore]


@contextmanager
def scratch_database(admin_url: str, *, prefix: str) -> Iterator[str]:
    """Yield the DATABASE_URL to use: "" for SQLite, or a fresh PostgreSQL database's URL."""
    if not is_postgres(admin_url):
        yield ""
        return
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    _admin(admin_url, f'CREATE DATABASE "{name}"')
    try:
        yield admin_url.rsplit("/", 1)[0] + "/" + name
    finally:
        from django.db import connections

        # This process may have connected to it (the benchmark does); the drop must not wait.
        connections.close_all()
        _admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
