"""lexicon_import: many terms from a spreadsheet, all or nothing.

Every row is checked by the same rules as the form (services.clean_fields); any wrong cell
rejects the whole file with a table of (row, column, message). Otherwise one transaction adds
the new terms to the actor's lexicon (the district's for a platform administrator, the unit's
own for a unit administrator) and updates those already there (matched by category, term and
whitelist), one audit event per changed row plus one for the import as a whole.
"""

from dataclasses import dataclass

from django.db import transaction

from govmedia.audit.services import audit_record, snapshot
from govmedia.core.errors import ServiceError
from govmedia.core.spreadsheets import ImportRejected, RowError

from .lexicon_xlsx import FIELD_LABELS, MAX_FILE_BYTES, read_rows
from .models import LexiconSource, LexiconTerm
from .services import (
    AUDITED_FIELDS,
    EDITABLE_FIELDS,
    clean_fields,
    lock_lexicon,
    owner_for,
    require_manager,
)
from .version import bump_version


@dataclass(frozen=True)
class ImportSummary:
    created: int
    updated: int
    unchanged: int


def lexicon_import(*, actor, file) -> ImportSummary:
    """Import an uploaded .xlsx (an UploadedFile or any object with .read() and .name)."""
    require_manager(actor)
    rows = read_rows(file.read(MAX_FILE_BYTES + 1))
    checked, errors = _check_rows(rows, actor)
    if errors:
        raise ImportRejected(errors, what="词条")
    owner = owner_for(actor)
    with transaction.atomic():
        lock_lexicon()
        existing = {
            (row.category, row.term, row.whitelist): row
            for row in LexiconTerm.objects.select_for_update().filter(owner_org=owner)
        }
        created = updated = 0
        for cleaned, active in checked:
            row = existing.get((cleaned["category"], cleaned["term"], cleaned["whitelist"]))
            if row is None:
                row = LexiconTerm.objects.create(
                    **cleaned,
                    is_active=active,
                    owner_org=owner,
                    source=LexiconSource.IMPORT,
                    created_by=actor,
                )
                _audit(actor, "lexicon.import_create", row, None)
                created += 1
            elif (before := _apply(row, cleaned, active)) is not None:
                updated += 1
                _audit(actor, "lexicon.import_update", row, before)
        summary = ImportSummary(created, updated, len(checked) - created - updated)
        if created or updated:
            audit_record(
                actor=actor,
                action="lexicon.import",
                object_type="screening.lexiconterm",
                object_repr=f"导入 {getattr(file, 'name', '') or '表格'}"[:200],
                org=owner,
                after={
                    "file": getattr(file, "name", ""),
                    "created": created,
                    "updated": updated,
                    "unchanged": summary.unchanged,
                },
            )
            bump_version()
    return summary


def _check_rows(rows, actor) -> tuple[list[tuple[dict, bool]], list[RowError]]:
    checked, errors, seen = [], [], {}
    for row in rows:
        if row.unreadable:
            errors.extend(
                RowError(row.number, FIELD_LABELS[field], message)
                for field, message in row.unreadable.items()
            )
            continue
        try:
            cleaned = clean_fields(row.values, actor=actor)
        except ServiceError as exc:
            errors.append(RowError(row.number, FIELD_LABELS.get(exc.field, "词条"), exc.message))
            continue
        key = (cleaned["category"], cleaned["term"], cleaned["whitelist"])
        if key in seen:
            errors.append(
                RowError(row.number, "词条", f"与第 {seen[key]} 行重复（同一类别的同一词条）")
            )
            continue
        seen[key] = row.number
        checked.append((cleaned, row.values.get("is_active", True)))
    return checked, errors


def _apply(row: LexiconTerm, cleaned: dict, active: bool) -> dict | None:
    """Copy the sheet's values onto an existing row; its snapshot before, None if unchanged."""
    if active == row.is_active and all(getattr(row, f) == cleaned[f] for f in EDITABLE_FIELDS):
        return None
    before = snapshot(row, AUDITED_FIELDS)
    for name, value in cleaned.items():
        setattr(row, name, value)
    row.is_active = active
    row.version += 1
    row.save()
    return before


def _audit(actor, action: str, row: LexiconTerm, before: dict | None) -> None:
    audit_record(
        actor=actor,
        action=action,
        obj=row,
        org=row.owner_org,
        before=before,
        after=snapshot(row, AUDITED_FIELDS),
    )
