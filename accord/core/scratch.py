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


def database_url(admin_url: str, name: str) -> str:
    """The URL of database `name` on the server `admin_url` points at."""
    return admin_url.rsplit("/", 1)[0] + "/" + name


def create_database(admin_url: str, name: str, *, template: str = "") -> None:
    copied = f' TEMPLATE "{template}"' if template else ""
    _admin(admin_url, f'CREATE DATABASE "{name}"{copied}')


def drop_database(admin_url: str, name: str) -> None:
    _admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def scratch_database(admin_url: str, *, prefix: str, template: str = "") -> Iterator[str]:
    """Yield the DATABASE_URL to use: "" for SQLite, or a fresh PostgreSQL database's URL (a
    copy of database `template` when one is named)."""
    if not is_postgres(admin_url):
        yield ""
        return
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    create_database(admin_url, name, template=template)
    try:
        yield database_url(admin_url, name)
    finally:
        from django.db import connections

        # This process may have connected to it (the benchmark does); the drop must not wait.
        connections.close_all()
        drop_database(admin_url, name)
