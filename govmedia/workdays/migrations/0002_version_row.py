from django.db import migrations


def create_version_row(apps, schema_editor):
    # The calendar services lock this row first; creating it here spares the first writer the race.
    apps.get_model("workdays", "CalendarVersion").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]
    operations = [migrations.RunPython(create_version_row, migrations.RunPython.noop)]
