"""RuleException now belongs to compliance (its 0003 takes over the same table)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0003_alter_filing_options"),
        ("compliance", "0003_ruleexception"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="RuleException")],
            database_operations=[],
        )
    ]
