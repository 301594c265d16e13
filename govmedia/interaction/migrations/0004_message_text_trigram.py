"""Formerly a pg_trgm index over the messages' text (PostgreSQL). Superseded by 0005's index
of characters and character pairs, which also looks up the one- and two-character terms a
trigram index cannot; 0005 drops the index where this migration created it. Nothing here now,
so a new installation does not need the pg_trgm extension."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("interaction", "0003_platform_ids_longer"),
    ]

    operations = []
