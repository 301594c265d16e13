from django.db import migrations

from govmedia.registry.platforms import ensure_default_platforms


def seed(apps, schema_editor):
    ensure_default_platforms(apps.get_model("registry", "Platform"))


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
