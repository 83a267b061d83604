"""PostgreSQL: refuse TRUNCATE of the audit log too, unless the session lifted the guard."""

from django.db import migrations

FORWARD = [
    """CREATE OR REPLACE FUNCTION audit_auditevent_no_truncate() RETURNS trigger AS $$
       BEGIN
         IF coalesce(current_setting('zicht.audit_purge', true), '') = 'on' THEN RETURN NULL; END IF;
         RAISE EXCEPTION 'audit log is append-only';
       END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_auditevent_no_truncate BEFORE TRUNCATE ON audit_auditevent
       FOR EACH STATEMENT EXECUTE FUNCTION audit_auditevent_no_truncate()""",
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_truncate ON audit_auditevent",
    "DROP FUNCTION IF EXISTS audit_auditevent_no_truncate()",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]
    operations = [migrations.RunPython(forward, backward)]
