"""Close the two ways round the append-only triggers of 0002.

SQLite: `REPLACE INTO` and `INSERT OR REPLACE` delete the row they collide with without firing
its DELETE trigger (recursive triggers are off), so an event could be rewritten, or put back as
it was without trace. A BEFORE INSERT trigger refuses any insert whose `seq` or `hash` (the
table's only unique columns) is already taken, before any conflict resolution runs.

PostgreSQL: a statement-level BEFORE TRUNCATE trigger refuses TRUNCATE while the table holds
any event. Truncating an empty trail changes nothing and stays allowed, because Django flushes
test databases with TRUNCATE; SQLite's flush is a DELETE, which likewise passes only when there
is no row to delete. An upsert (`INSERT ... ON CONFLICT DO UPDATE`) and MERGE need nothing new:
they fire the row-level UPDATE and DELETE trigger of 0002.
"""

from django.db import migrations

TABLE = "audit_auditevent"
MESSAGE = "audit trail is append-only: {op} of audit events is not allowed"
INSERT_MESSAGE = (
    "audit trail is append-only: an INSERT with the seq or hash of an existing audit event "
    "is not allowed"
)

SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER audit_auditevent_no_replace BEFORE INSERT ON {TABLE}
    WHEN EXISTS (SELECT 1 FROM {TABLE} WHERE seq = NEW.seq OR hash = NEW.hash)
    BEGIN SELECT RAISE(ABORT, '{INSERT_MESSAGE}'); END
    """,  # noqa: S608 - constants only
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_replace",
]

# The table is named through TG_TABLE_SCHEMA and TG_TABLE_NAME, so the check does not depend on
# the search_path of whoever sends the TRUNCATE.
POSTGRESQL_FORWARD = [
    f"""
    CREATE FUNCTION audit_auditevent_refuse_truncate() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE
        has_events boolean;
    BEGIN
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I.%I)', TG_TABLE_SCHEMA, TG_TABLE_NAME)
            INTO has_events;
        IF has_events THEN
            RAISE EXCEPTION '{MESSAGE.format(op="TRUNCATE")}'
                USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN NULL;
    END;
    $$
    """,  # noqa: S608 - constants only
    f"""
    CREATE TRIGGER audit_auditevent_no_truncate BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION audit_auditevent_refuse_truncate()
    """,
]
POSTGRESQL_REVERSE = [
    f"DROP TRIGGER IF EXISTS audit_auditevent_no_truncate ON {TABLE}",
    "DROP FUNCTION IF EXISTS audit_auditevent_refuse_truncate()",
]

STATEMENTS = {
    "sqlite": (SQLITE_FORWARD, SQLITE_REVERSE),
    "postgresql": (POSTGRESQL_FORWARD, POSTGRESQL_REVERSE),
}


def _run(schema_editor, direction):
    vendor = schema_editor.connection.vendor
    if vendor not in STATEMENTS:
        raise RuntimeError(f"The append-only audit trail has no triggers for {vendor}.")
    for sql in STATEMENTS[vendor][direction]:
        # params=None: the PostgreSQL function body contains literal % placeholders.
        schema_editor.execute(sql, params=None)


def create_triggers(apps, schema_editor):
    _run(schema_editor, 0)


def drop_triggers(apps, schema_editor):
    _run(schema_editor, 1)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_append_only_triggers"),
    ]

    operations = [
        migrations.RunPython(create_triggers, drop_triggers, elidable=False),
    ]
