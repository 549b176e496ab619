"""The full-text index of protocol paragraphs (accord.library.search).

SQLite: an FTS5 table the search module fills as versions are imported. PostgreSQL: a GIN index
on the paragraph table's own text, which the search queries use as written here.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

FTS_TABLE = "library_paragraph_fts"
PG_INDEX = "library_paragraph_search_gin"


def create_index(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
            "paragraph_id UNINDEXED, heading, text, tokenize='porter unicode61')"
        )
        schema_editor.execute(
            f"INSERT INTO {FTS_TABLE} (paragraph_id, heading, text)"  # noqa: S608 - constant table names; values are parameters
            " SELECT id, heading, text FROM library_protocolparagraph"
        )
    elif vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX {PG_INDEX} ON library_protocolparagraph USING gin"
            " (to_tsvector('english', heading || ' ' || text))"
        )


def drop_index(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    elif vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]

    operations = [migrations.RunPython(create_index, drop_index)]
