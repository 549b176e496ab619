"""Database triggers that refuse UPDATE and DELETE on the audit trail, on SQLite and PostgreSQL.

TRUNCATE on PostgreSQL, and SQLite's REPLACE (which deletes without firing DELETE triggers), are
refused by 0003. Whoever controls the database can still drop these triggers; signed checkpoints
(`accord audit checkpoint`) exist for that.
"""

from django.db import migrations

TABLE = "audit_auditevent"
MESSAGE = "audit trail is append-only: {op} of audit events is not allowed"

SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE.format(op="UPDATE")}'); END
    """,
    f"""
    CREATE TRIGGER audit_auditevent_no_delete BEFORE DELETE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE.format(op="DELETE")}'); END
    """,
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_delete",
]

# restrict_violation (SQLSTATE 23001) is an integrity error, so Django raises IntegrityError on
# both databases.
POSTGRESQL_FORWARD = [
    f"""
    CREATE FUNCTION audit_auditevent_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE.format(op="%")}', TG_OP
            USING ERRCODE = 'restrict_violation';
    END;
    $$
    """,
    f"""
    CREATE TRIGGER audit_auditevent_append_only BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_auditevent_refuse_change()
    """,
]
POSTGRESQL_REVERSE = [
    f"DROP TRIGGER IF EXISTS audit_auditevent_append_only ON {TABLE}",
    "DROP FUNCTION IF EXISTS audit_auditevent_refuse_change()",
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
        # params=None: the PostgreSQL function body contains a literal % placeholder.
        schema_editor.execute(sql, params=None)


def create_triggers(apps, schema_editor):
    _run(schema_editor, 0)


def drop_triggers(apps, schema_editor):
    _run(schema_editor, 1)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_triggers, drop_triggers, elidable=False),
    ]
