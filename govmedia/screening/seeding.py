"""Load the shipped seed lexicons (govmedia/screening/seed/*.csv) as district-wide rows.

Called by the data migration (with its historical models) and by `manage.py screening_seed`
(after a release adds seed terms, or in tests whose database was flushed). Idempotent: a term
already in the district lexicon, perhaps edited or disabled by an administrator since, is left
as it is, so re-running never undoes an administrator's decision.
"""

from django.db import transaction

from .engine import load_seed_entries
from .version import bump_version


def seed_lexicon(*, term_model=None, version_model=None) -> int:
    """Create the district-wide seed rows that are missing; return how many were created.
    The rows and the version bump commit together."""
    if term_model is None:
        from .models import LexiconTerm as term_model
    with transaction.atomic():
        return _seed(term_model, version_model)


def _seed(term_model, version_model) -> int:
    existing = set(
        term_model.objects.filter(owner_org__isnull=True).values_list(
            "category", "term", "whitelist"
        )
    )
    missing = []
    for entry in load_seed_entries():
        key = (str(entry.category), entry.term, entry.whitelist)
        if key in existing:
            continue
        existing.add(key)
        missing.append(
            term_model(
                term=entry.term,
                category=str(entry.category),
                severity=str(entry.severity),
                suggestion=entry.suggestion,
                basis=entry.basis,
                note=entry.note,
                whitelist=entry.whitelist,
                context=entry.context,
                owner_org=None,
                source="seed",
            )
        )
    if missing:
        term_model.objects.bulk_create(missing, batch_size=500)
        bump_version(version_model)
    return len(missing)
