from django.db import migrations

from govmedia.opinion.schedules import ensure_schedules


def create(apps, schema_editor):
    ensure_schedules(apps.get_model("django_q", "Schedule"))


class Migration(migrations.Migration):
    dependencies = [
        ("opinion", "0001_initial"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
