"""The audit log refuses UPDATE and DELETE in the database itself, not only in the model.

The trigger syntax is the one place SQLite and PostgreSQL differ here.
"""

from django.db import migrations

SQLITE = [
    "CREATE TRIGGER jejak_no_update BEFORE UPDATE ON docgen_web_jejak "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
    "CREATE TRIGGER jejak_no_delete BEFORE DELETE ON docgen_web_jejak "
    "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
]
SQLITE_UNDO = ["DROP TRIGGER IF EXISTS jejak_no_update", "DROP TRIGGER IF EXISTS jejak_no_delete"]
POSTGRES = [
    "CREATE OR REPLACE FUNCTION docgen_jejak_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$ LANGUAGE plpgsql",
    "CREATE TRIGGER jejak_append_only BEFORE UPDATE OR DELETE ON docgen_web_jejak "
    "FOR EACH ROW EXECUTE FUNCTION docgen_jejak_append_only()",
]
POSTGRES_UNDO = ["DROP TRIGGER IF EXISTS jejak_append_only ON docgen_web_jejak",
                 "DROP FUNCTION IF EXISTS docgen_jejak_append_only()"]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)
    return run


class Migration(migrations.Migration):
    dependencies = [("docgen_web", "0001_initial")]
    operations = [
        migrations.RunPython(_run({"sqlite": SQLITE, "postgresql": POSTGRES}),
                             _run({"sqlite": SQLITE_UNDO, "postgresql": POSTGRES_UNDO})),
    ]
