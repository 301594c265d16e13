"""The lexicon version: read once per screening call, bumped by every lexicon write."""

import uuid

# Stamp of a database whose version row does not exist yet (a flushed test database): the
# lexicon tables are then empty too, since every write creates the row.
NO_ROW = (0, "")


def current_version() -> tuple[int, str]:
    """(version, stamp) as committed now: one indexed single-row query."""
    from .models import LexiconVersion

    row = LexiconVersion.objects.filter(pk=1).values_list("version", "stamp").first()
    return NO_ROW if row is None else row


def bump_version(model=None) -> int:
    """Take the next version in the caller's transaction; returns it.

    The row is locked first, so concurrent lexicon writes queue here and every committed change
    gets its own number. `model` lets a data migration pass its historical model.
    """
    if model is None:
        from .models import LexiconVersion as model
    row, _ = model.objects.select_for_update().get_or_create(pk=1)
    row.version += 1
    row.stamp = uuid.uuid4().hex
    row.save(update_fields=["version", "stamp", "changed_at"])
    return row.version
