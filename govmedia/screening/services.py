"""Writes to the lexicons: lexicon_term_create, lexicon_term_update, lexicon_term_disable,
lexicon_term_enable (the spreadsheet import is in lexicon_import.py).

Each runs in one transaction that first locks the LexiconVersion row (so lexicon writes queue
and each commit gets its own version), re-checks the actor's scope on the locked row, writes
its AuditEvent and bumps the version: the change takes effect in every process on its next
screening call. (Screening itself is in service.py.)
"""

from django.db import IntegrityError, transaction

from govmedia.audit.services import audit_record, snapshot
from govmedia.core.errors import Conflict, Forbidden, ServiceError
from govmedia.core.scope import get_scoped, may, sees_whole_district
from govmedia.core.text import clean_text
from govmedia.core.versions import check_version

from .engine import COMMERCIAL_CONTEXT, Category, LexiconEntry, Severity, fold_term
from .models import (
    ALL_CATEGORIES_LABEL,
    CATEGORY_LABELS,
    LexiconSource,
    LexiconTerm,
    LexiconVersion,
)
from .version import bump_version

EDITABLE_FIELDS = [
    "term",
    "category",
    "severity",
    "suggestion",
    "basis",
    "note",
    "whitelist",
    "context",
]
AUDITED_FIELDS = [*EDITABLE_FIELDS, "is_active", "owner_org", "source"]
MAX_LENGTHS = {"term": 100, "suggestion": 200, "basis": 300, "note": 500}
LABELS = {
    "term": "词条",
    "category": "类别",
    "severity": "处理级别",
    "suggestion": "建议改为",
    "basis": "依据",
    "note": "说明",
    "whitelist": "白名单",
    "context": "语境要求",
}


def require_manager(actor) -> None:
    if not may(actor, "screening.manage"):
        raise Forbidden("您无权维护审查词库：词库由平台管理员维护，单位管理员可维护本单位词条")


def owner_for(actor):
    """Where the actor's new rows go: the district lexicon (NULL) or the actor's own unit."""
    return None if sees_whole_district(actor) else actor.org


def clean_fields(values: dict, *, actor) -> dict:
    """The editable fields normalised, or a ServiceError naming the first wrong field."""
    cleaned = {name: values.get(name, "") for name in EDITABLE_FIELDS}
    for name in ("term", "suggestion", "basis", "note"):
        text = clean_text(cleaned[name], field=name, label=LABELS[name], multiline=False)
        cleaned[name] = clean_text(
            " ".join(text.split()), field=name, label=LABELS[name], max_length=MAX_LENGTHS[name]
        )
    cleaned["whitelist"] = bool(cleaned["whitelist"])
    cleaned["category"] = str(cleaned["category"] or "")
    cleaned["severity"] = str(cleaned["severity"] or "")
    cleaned["context"] = str(cleaned["context"] or "")
    term = cleaned["term"]
    if not term:
        raise ServiceError("请填写词条", field="term")
    if not fold_term(term):
        raise ServiceError("词条只含标点、空格或符号，无法匹配任何文字", field="term")
    if cleaned["category"] not in {*Category, ""}:
        raise ServiceError("类别无效，请从列表中选择", field="category")
    if cleaned["whitelist"]:
        if not sees_whole_district(actor):
            raise ServiceError(
                "白名单词条只能由平台管理员在全区词库中维护（白名单会豁免全区词库的词条）",
                field="whitelist",
            )
        # A whitelist phrase silences findings; severity and context mean nothing for it.
        cleaned["severity"], cleaned["context"] = "", ""
    else:
        if not cleaned["category"]:
            raise ServiceError("请选择类别", field="category")
        if cleaned["severity"] not in set(Severity):
            raise ServiceError("请选择处理级别（禁止发布或提醒核实）", field="severity")
    if cleaned["context"] not in ("", COMMERCIAL_CONTEXT):
        raise ServiceError("语境要求无效", field="context")
    try:  # the engine's own check, so no row the engine would refuse is ever stored
        LexiconEntry(**cleaned)
    except ValueError as exc:
        raise ServiceError(str(exc), field="term") from None
    return cleaned


def _check_unique(cleaned: dict, owner, exclude_pk=None) -> None:
    same = LexiconTerm.objects.filter(
        owner_org=owner,
        category=cleaned["category"],
        term=cleaned["term"],
        whitelist=cleaned["whitelist"],
    ).exclude(pk=exclude_pk)
    existing = same.first()
    if existing is not None:
        kind = "白名单" if cleaned["whitelist"] else "词库"
        category = CATEGORY_LABELS.get(cleaned["category"], ALL_CATEGORIES_LABEL)
        state = "" if existing.is_active else "（已停用，可直接启用）"
        raise ServiceError(
            f"{existing.owner_label}{kind}中已有“{existing.term}”（{category}）{state}",
            field="term",
            code="duplicate",
        )


def lock_lexicon() -> None:
    """Take the lexicon write lock (the version row) at the start of a write transaction."""
    LexiconVersion.objects.select_for_update().get_or_create(pk=1)


def _save(term: LexiconTerm, **kwargs) -> None:
    try:
        with transaction.atomic():
            term.save(**kwargs)
    except IntegrityError as exc:
        # The uniqueness check ran first under the lexicon lock; this is a row changed behind it.
        raise Conflict("保存失败：词库中已有相同词条，请刷新后重试") from exc


def _audit(actor, action: str, term: LexiconTerm, before: dict | None) -> None:
    audit_record(
        actor=actor,
        action=action,
        obj=term,
        org=term.owner_org,
        before=before,
        after=snapshot(term, AUDITED_FIELDS),
    )


def lexicon_term_create(
    *,
    actor,
    term: str,
    category: str,
    severity: str = Severity.WARN,
    suggestion: str = "",
    basis: str = "",
    note: str = "",
    whitelist: bool = False,
    context: str = "",
) -> LexiconTerm:
    """Add a term to the actor's lexicon: the district's for a platform administrator, the
    actor's own unit's for a unit administrator."""
    require_manager(actor)
    values = {
        "term": term,
        "category": category,
        "severity": severity,
        "suggestion": suggestion,
        "basis": basis,
        "note": note,
        "whitelist": whitelist,
        "context": context,
    }
    with transaction.atomic():
        lock_lexicon()
        cleaned = clean_fields(values, actor=actor)
        owner = owner_for(actor)
        _check_unique(cleaned, owner)
        row = LexiconTerm(**cleaned, owner_org=owner, source=LexiconSource.MANUAL, created_by=actor)
        _save(row, force_insert=True)
        _audit(actor, "lexicon.create", row, None)
        bump_version()
    return row


def _locked(actor, term_id) -> LexiconTerm:
    # Only the term's own row is locked: FOR UPDATE may not reach the nullable owner join.
    queryset = LexiconTerm.objects.select_for_update(of=("self",))
    return get_scoped(queryset, actor, term_id, "manage")


def lexicon_term_update(*, actor, term_id: int, version: int, **changes) -> LexiconTerm:
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    require_manager(actor)
    with transaction.atomic():
        lock_lexicon()
        row = _locked(actor, term_id)
        check_version(row, version, noun="词条")
        before = snapshot(row, AUDITED_FIELDS)
        values = {name: getattr(row, name) for name in EDITABLE_FIELDS} | changes
        cleaned = clean_fields(values, actor=actor)
        if all(getattr(row, name) == value for name, value in cleaned.items()):
            return row
        _check_unique(cleaned, row.owner_org, exclude_pk=row.pk)
        for name, value in cleaned.items():
            setattr(row, name, value)
        row.version += 1
        _save(row)
        _audit(actor, "lexicon.update", row, before)
        bump_version()
    return row


def _set_active(*, actor, term_id: int, version: int, active: bool) -> LexiconTerm:
    require_manager(actor)
    with transaction.atomic():
        lock_lexicon()
        row = _locked(actor, term_id)
        check_version(row, version, noun="词条")
        if row.is_active == active:
            raise Conflict(f"该词条已{'启用' if active else '停用'}")
        before = snapshot(row, AUDITED_FIELDS)
        row.is_active = active
        row.version += 1
        row.save(update_fields=["is_active", "version", "updated_at"])
        _audit(actor, "lexicon.enable" if active else "lexicon.disable", row, before)
        bump_version()
    return row


def lexicon_term_disable(*, actor, term_id: int, version: int) -> LexiconTerm:
    """Stop a term from firing; the row stays, with its history, and can be enabled again."""
    return _set_active(actor=actor, term_id=term_id, version=version, active=False)


def lexicon_term_enable(*, actor, term_id: int, version: int) -> LexiconTerm:
    return _set_active(actor=actor, term_id=term_id, version=version, active=True)
