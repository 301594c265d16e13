"""The platform's default rubric for 政务新媒体 (defaults.py), seeded once for the district office
to adjust. Written with the historical models: the items are plain data."""

from django.db import migrations

DEFAULT_YEAR = 2026  # the year the platform's 检查考核 opened; later years are new versions


def seed(apps, schema_editor):
    from govmedia.assessment import defaults

    Rubric = apps.get_model("assessment", "Rubric")
    Indicator = apps.get_model("assessment", "Indicator")
    if Rubric.objects.filter(is_default=True).exists():
        return
    rubric = Rubric.objects.create(
        name=defaults.NAME,
        year=DEFAULT_YEAR,
        source_doc=defaults.SOURCE_DOC,
        basis=defaults.BASIS,
        bonus_cap=defaults.BONUS_CAP,
        is_default=True,
    )
    Indicator.objects.bulk_create(Indicator(rubric=rubric, **item) for item in defaults.items())


def unseed(apps, schema_editor):
    Rubric = apps.get_model("assessment", "Rubric")
    Rubric.objects.filter(is_default=True, checks__isnull=True, previous__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
