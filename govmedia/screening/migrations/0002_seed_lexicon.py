from django.db import migrations

from govmedia.screening.seeding import seed_lexicon


def load_seed(apps, schema_editor):
    # District-wide rows (owner NULL): no org exists yet on a fresh installation.
    seed_lexicon(
        term_model=apps.get_model("screening", "LexiconTerm"),
        version_model=apps.get_model("screening", "LexiconVersion"),
    )


class Migration(migrations.Migration):
    dependencies = [("screening", "0001_initial")]
    operations = [migrations.RunPython(load_seed, migrations.RunPython.noop)]
