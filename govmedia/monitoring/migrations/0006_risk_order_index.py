"""The dormant report's index, column for column its ORDER BY (selectors.RISK_ORDER):
risk_rank, last_post_at with nulls first, account. PostgreSQL sorts nulls last unless told, so
there the column is declared NULLS FIRST; SQLite sorts them first already and refuses the clause
in an index."""

from django.db import migrations, models

PG_CREATE = (
    'CREATE INDEX "pullstate_risk_order" ON "monitoring_pullstate" '
    '("risk_rank", "last_post_at" ASC NULLS FIRST, "account_id")'
)
PLAIN_CREATE = (
    'CREATE INDEX "pullstate_risk_order" ON "monitoring_pullstate" '
    '("risk_rank", "last_post_at", "account_id")'
)
OLD_CREATE = (
    'CREATE INDEX "pullstate_risk_order" ON "monitoring_pullstate" ("risk_rank", "last_post_at")'
)


def create(apps, schema_editor):
    schema_editor.execute('DROP INDEX IF EXISTS "pullstate_risk_order"')
    vendor = schema_editor.connection.vendor
    schema_editor.execute(PG_CREATE if vendor == "postgresql" else PLAIN_CREATE)


def restore(apps, schema_editor):
    schema_editor.execute('DROP INDEX IF EXISTS "pullstate_risk_order"')
    schema_editor.execute(OLD_CREATE)


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0005_dormant_figures"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveIndex(model_name="pullstate", name="pullstate_risk_order"),
                migrations.AddIndex(
                    model_name="pullstate",
                    index=models.Index(
                        fields=["risk_rank", "last_post_at", "account"],
                        name="pullstate_risk_order",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(create, restore)],
        ),
    ]
