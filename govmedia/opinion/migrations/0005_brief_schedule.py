from django.db import migrations

from govmedia.opinion.schedules import ensure_schedules


def create(apps, schema_editor):
    # Idempotent (matched by name): adds the 舆情简报 schedule next to the existing sweep.
    ensure_schedules(apps.get_model("django_q", "Schedule"))


class Migration(migrations.Migration):
    dependencies = [
        ("opinion", "0004_briefs"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
