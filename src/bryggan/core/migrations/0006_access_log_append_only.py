"""The access log is append-only in the database itself on PostgreSQL: a trigger refuses any
UPDATE or DELETE of an entry, whoever sends it (the app, a script, a bulk query). SQLite (the
demo) keeps the model-level guard only."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION bryggan_access_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The access log is append-only: entries cannot be changed or deleted.';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_accesslogentry_append_only
    BEFORE UPDATE OR DELETE ON core_accesslogentry
    FOR EACH ROW EXECUTE FUNCTION bryggan_access_log_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS core_accesslogentry_append_only ON core_accesslogentry;
DROP FUNCTION IF EXISTS bryggan_access_log_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("core", "0005_person_personnummer_protected")]

    operations = [migrations.RunPython(forward, backward)]
