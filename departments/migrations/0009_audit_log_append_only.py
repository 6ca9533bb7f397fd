"""The audit log is append-only in the database itself: UPDATE is refused, and DELETE of a row
younger than 180 days (the legal minimum; archive_audit_log removes only older rows), so that no
application code, admin or shell can rewrite it.

On PostgreSQL, the production database. The embedded SQLite default is for a development machine:
its test runs empty tables with DELETE, which such a trigger would refuse (PostgreSQL empties
them with TRUNCATE, which row triggers do not see)."""

from django.db import migrations

TABLE = "departments_auditevent"

POSTGRES = f"""
CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    RAISE EXCEPTION 'the audit log is append-only: rows cannot be changed';
  END IF;
  IF OLD.created_at > now() - interval '180 days' THEN
    RAISE EXCEPTION 'the audit log keeps rows for 180 days: this row cannot be removed yet';
  END IF;
  RETURN OLD;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS audit_log_append_only ON {TABLE};
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON {TABLE}
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
"""
POSTGRES_REVERSE = f"""
DROP TRIGGER IF EXISTS audit_log_append_only ON {TABLE};
DROP FUNCTION IF EXISTS audit_log_refuse_change();
"""
def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_REVERSE)


class Migration(migrations.Migration):
    dependencies = [("departments", "0008_audit_log")]

    operations = [migrations.RunPython(forwards, backwards)]
