"""PostgreSQL only: a pg_trgm GIN index over the messages' text, so the inbox's search
(text__icontains, i.e. UPPER(text) LIKE UPPER('%…%')) looks a term of three or more
characters up instead of reading every message. SQLite has no such index; its search reads
the rows as before. pg_trgm is a trusted extension: the database owner may create it."""

from django.db import migrations

INDEX = "msg_text_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON interaction_message "
        "USING gin (UPPER(text::text) gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("interaction", "0003_platform_ids_longer"),
    ]

    operations = [migrations.RunPython(create, drop)]
