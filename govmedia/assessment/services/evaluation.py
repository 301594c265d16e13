"""Automatic evaluation of score sheets at the check's time, scoring a sheet, and a checker's
results and overrides (audited with the reason)."""

import json
from collections import defaultdict
from typing import NamedTuple

from django.db import connection, transaction
from django.utils import timezone

from govmedia.audit.services import audit_record
from govmedia.core.errors import ServiceError
from govmedia.core.scope import get_scoped
from govmedia.core.versions import check_version

from .. import rules, scoring
from ..models import (
    CheckState,
    Indicator,
    ItemResult,
    Method,
    Outcome,
    Part,
    ScoreSheet,
    SheetState,
)

ITEM_BATCH = 5000
UPDATE_BATCH = 500  # bulk_update writes a CASE per row: keep its batches small
MAX_EVIDENCE = 20
MAX_TEXT = 1000


class _Row(NamedTuple):
    """An item result as scoring reads it, without building a model instance per item."""

    indicator_id: int
    outcome: str
    occurrences: int


def evaluate_check(check) -> int:
    """Fill every sheet of the check: automatic items from the rules at `check.check_at`,
    manual items pending; then score them. Re-running replaces the automatic results that no
    checker has overridden. Returns the number of sheets.

    Set-based, whatever the number of sheets: each rule answers for every sampled account at
    once (rules.py); the missing item rows are inserted by one INSERT … SELECT already holding
    what most of them are (an automatic item "未发现问题", a manual one pending), and only the
    items whose result differs (findings, evidence, a changed result) are then written."""
    sheets = list(ScoreSheet.objects.filter(check_run=check).select_related("account__host_org"))
    if not sheets:
        return 0
    indicators = list(check.rubric.indicators.order_by("position"))
    ctx = rules.Context(
        check_at=check.check_at,
        period_start=check.period_start,
        accounts=[sheet.account for sheet in sheets],
    )
    found = {
        indicator.rule: rules.evaluate(indicator.rule, ctx)
        for indicator in indicators
        if indicator.method == Method.AUTOMATIC and rules.RULES[indicator.rule].available
    }
    automatic = [i for i in indicators if i.method == Method.AUTOMATIC and i.rule in found]
    now = timezone.now()
    with transaction.atomic():
        existing = {
            (row[0], row[1]): row[2:]
            for row in ItemResult.objects.filter(sheet__check_run=check).values_list(
                "sheet_id", "indicator_id", "pk", "outcome", "occurrences", "overridden", "evidence"
            )
        }
        _insert_missing_items(check, [i.pk for i in automatic])
        current = {
            key: (outcome, occurrences) for key, (_, outcome, occurrences, _, _) in existing.items()
        }
        changes = []
        for indicator in automatic:
            results = found[indicator.rule]
            for sheet in sheets:
                key = (sheet.pk, indicator.pk)
                result = results.get(sheet.account_id)
                if key in existing:
                    pk, outcome, occurrences, overridden, evidence = existing[key]
                    if overridden or result is None:
                        continue
                    unchanged = (outcome, occurrences, evidence) == (
                        result.outcome,
                        result.occurrences,
                        result.evidence,
                    )
                else:  # just inserted as a plain pass
                    if result is None:
                        result = rules.Result(Outcome.PENDING)
                    unchanged = _plain(result)
                current[key] = (result.outcome, result.occurrences)
                if not unchanged:
                    changes.append((key, result))
        _write_changes(check, changes)
        by_sheet = {
            sheet.pk: [_Row(i.pk, *current.get((sheet.pk, i.pk), PENDING)) for i in indicators]
            for sheet in sheets
        }
        _rescore(sheets, by_sheet, indicators, now, check.rubric.bonus_cap)
    return len(sheets)


PENDING = (Outcome.PENDING, 0)


def _plain(result) -> bool:
    return result.outcome == Outcome.PASS and not result.occurrences and not result.evidence


def _insert_missing_items(check, automatic_ids: list[int]) -> None:
    """One row per (sheet, indicator) that has none yet, in one statement: an automatic item
    as the plain pass most of them are, a manual one pending. The rows that exist are skipped by
    the unique (sheet, indicator) index: a NOT EXISTS over the table being filled would rescan
    its growing heap for each new row on PostgreSQL."""
    item, sheet, indicator = (m._meta.db_table for m in (ItemResult, ScoreSheet, Indicator))
    marks = ", ".join(["%s"] * len(automatic_ids)) or "NULL"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {item} (sheet_id, indicator_id, outcome, occurrences, auto_outcome,
                auto_occurrences, evidence, note, overridden, override_reason)
            SELECT s.id, i.id, CASE WHEN i.is_auto THEN %s ELSE %s END, 0,
                CASE WHEN i.is_auto THEN %s ELSE '' END, 0, '[]', '', FALSE, ''
            FROM {sheet} s CROSS JOIN (
                SELECT id, id IN ({marks}) AS is_auto FROM {indicator} WHERE rubric_id = %s
            ) i
            WHERE s.check_run_id = %s
            ON CONFLICT (sheet_id, indicator_id) DO NOTHING
            """,
            [
                Outcome.PASS,
                Outcome.PENDING,
                Outcome.PASS,
                *automatic_ids,
                check.rubric_id,
                check.pk,
            ],
        )


def _write_changes(check, changes) -> None:
    """The items whose result is not what the table holds, by id, in batches."""
    if not changes:
        return
    wanted = dict(changes)
    ids = {}
    sheet_ids = sorted({sheet_id for sheet_id, _ in wanted})
    for start in range(0, len(sheet_ids), ITEM_BATCH):
        rows = ItemResult.objects.filter(
            sheet_id__in=sheet_ids[start : start + ITEM_BATCH],
            indicator_id__in={indicator_id for _, indicator_id in wanted},
        ).values_list("sheet_id", "indicator_id", "pk")
        ids.update(((sheet_id, indicator_id), pk) for sheet_id, indicator_id, pk in rows)
    items = [
        ItemResult(
            pk=ids[key],
            outcome=result.outcome,
            # A rule with nothing on the account leaves the item to the checker.
            auto_outcome="" if result.outcome == Outcome.PENDING else result.outcome,
            occurrences=result.occurrences,
            auto_occurrences=result.occurrences,
            evidence=result.evidence,
        )
        for key, result in changes
    ]
    _update_items(items)


def _update_items(items: list[ItemResult]) -> None:
    fields = ["outcome", "auto_outcome", "occurrences", "auto_occurrences", "evidence"]
    if connection.vendor != "postgresql":
        ItemResult.objects.bulk_update(items, fields, batch_size=UPDATE_BATCH)
        return
    # bulk_update's CASE per field grows with the square of the batch on PostgreSQL: join the
    # new values as arrays instead, one statement per batch.
    table = ItemResult._meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(items), ITEM_BATCH):
            batch = items[start : start + ITEM_BATCH]
            cursor.execute(
                f"""
                UPDATE {table} t SET outcome = v.outcome, auto_outcome = v.auto_outcome,
                    occurrences = v.occurrences, auto_occurrences = v.occurrences,
                    evidence = v.evidence::jsonb
                FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::int[], %s::text[])
                    AS v(id, outcome, auto_outcome, occurrences, evidence)
                WHERE t.id = v.id
                """,
                [
                    [item.pk for item in batch],
                    [item.outcome for item in batch],
                    [item.auto_outcome for item in batch],
                    [item.occurrences for item in batch],
                    [json.dumps(item.evidence, ensure_ascii=False) for item in batch],
                ],
            )


def _rescore(sheets, by_sheet, indicators, now, bonus_cap) -> None:
    """Score every sheet from the items just written (in memory, not read back)."""
    indicator_by_id = {indicator.pk: indicator for indicator in indicators}
    for sheet in sheets:
        apply_score(sheet, by_sheet[sheet.pk], indicator_by_id, bonus_cap)
        sheet.evaluated_at = now
    # One UPDATE per distinct result rather than bulk_update's CASE over every row (quadratic
    # in the batch on PostgreSQL): a check has few distinct scores.
    groups: dict[tuple, list[int]] = defaultdict(list)
    for sheet in sheets:
        groups[(sheet.verdict, sheet.score, sheet.vetoed, sheet.undetermined)].append(sheet.pk)
    for (verdict, score, vetoed, undetermined), ids in groups.items():
        for start in range(0, len(ids), ITEM_BATCH):
            ScoreSheet.objects.filter(pk__in=ids[start : start + ITEM_BATCH]).update(
                verdict=verdict,
                score=score,
                vetoed=vetoed,
                undetermined=undetermined,
                evaluated_at=now,
            )


def to_scoring(item: ItemResult, indicator: Indicator) -> scoring.ItemResult:
    """An item result as the pure scorer reads it: each occurrence deducts (or awards) the
    indicator's points, the item capped at its cap."""
    hit = item.outcome == Outcome.HIT
    if indicator.part == Part.VETO:
        return scoring.ItemResult(scoring.VETO, hit=hit)
    times = item.occurrences if hit else 0
    return scoring.ItemResult(
        indicator.part, points=indicator.cap, amounts=(indicator.points,) * times
    )


def apply_score(sheet: ScoreSheet, items, indicator_by_id, bonus_cap) -> None:
    result = scoring.score(
        [to_scoring(item, indicator_by_id[item.indicator_id]) for item in items],
        bonus_cap=bonus_cap,
    )
    sheet.verdict = result.verdict
    sheet.score = result.score
    sheet.vetoed = result.vetoed
    sheet.undetermined = any(
        item.outcome in (Outcome.UNDETERMINED, Outcome.PENDING) for item in items
    )


def sheet_rescore(sheet: ScoreSheet) -> None:
    items = list(sheet.items.all())
    rubric = sheet.check_run.rubric
    apply_score(sheet, items, {i.pk: i for i in rubric.indicators.all()}, rubric.bonus_cap)


def _clean_evidence(evidence) -> list[dict]:
    if evidence in (None, ""):
        return []
    if not isinstance(evidence, list) or len(evidence) > MAX_EVIDENCE:
        raise ServiceError(f"佐证应为不超过{MAX_EVIDENCE}条的列表", field="evidence")
    cleaned = []
    for entry in evidence:
        if not isinstance(entry, dict):
            raise ServiceError("每条佐证应包含说明与链接", field="evidence")
        label = str(entry.get("label") or "").strip()[:200]
        url = str(entry.get("url") or "").strip()
        if url and not url.startswith(("http://", "https://", "/")):
            raise ServiceError("佐证链接应以 http:// 或 https:// 开头", field="evidence")
        if not label and not url:
            raise ServiceError("每条佐证应有说明或链接", field="evidence")
        cleaned.append({"kind": "manual", "label": label, "url": url[:1000]})
    return cleaned


@transaction.atomic
def item_record(
    *, actor, item_id, version, outcome, occurrences=0, note="", reason="", evidence=None
) -> ItemResult:
    """A checker's result for one item of a sheet assigned to them. Changing an automatic
    result is an override: it needs a reason, keeps what the rule found, and is audited."""
    item = (
        ItemResult.objects.select_for_update(of=("self",))
        .select_related("sheet__check_run__rubric", "indicator", "sheet__account")
        .filter(pk=item_id)
        .first()
    )
    if item is None:
        raise ServiceError("评分项不存在或您无权访问", code="not_found")
    sheet = get_scoped(
        ScoreSheet.objects.select_for_update(of=("self",)), actor, item.sheet_id, "score"
    )
    check_version(sheet, version, noun="评分表")
    if sheet.state != SheetState.SCORING or sheet.check_run.state != CheckState.SCORING:
        raise ServiceError("该评分表已提交或检查不在评分阶段，不能修改", field="outcome")
    if outcome not in (Outcome.PASS, Outcome.HIT):
        raise ServiceError("结果应为“未发现问题”或“发现问题”", field="outcome")
    try:
        occurrences = int(occurrences or 0)
    except (TypeError, ValueError):
        raise ServiceError("发现处数应为整数", field="occurrences") from None
    if not 0 <= occurrences <= 1000:
        raise ServiceError("发现处数应在0到1000之间", field="occurrences")
    if outcome == Outcome.HIT and item.indicator.part != Part.VETO and occurrences == 0:
        raise ServiceError("发现问题时请填写发现处数", field="occurrences")
    if outcome == Outcome.PASS:
        occurrences = 0
    note, reason = str(note or "").strip(), str(reason or "").strip()
    if len(note) > MAX_TEXT or len(reason) > MAX_TEXT:
        raise ServiceError(f"说明与理由不超过{MAX_TEXT}字", field="reason")
    automatic = item.indicator.method == Method.AUTOMATIC and item.auto_outcome != ""
    changes_auto = automatic and (
        outcome != item.auto_outcome or occurrences != item.auto_occurrences
    )
    if changes_auto and not reason:
        raise ServiceError("改变自动评价结果须填写改判理由", field="reason")
    before = {"outcome": item.outcome, "occurrences": item.occurrences}
    item.outcome, item.occurrences, item.note = outcome, occurrences, note
    item.overridden = changes_auto
    item.override_reason = reason if changes_auto else ""
    if not automatic:
        item.evidence = _clean_evidence(evidence)
    item.updated_by, item.updated_at = actor, timezone.now()
    item.save()
    sheet_rescore(sheet)
    sheet.version += 1
    sheet.save(update_fields=["verdict", "score", "vetoed", "undetermined", "version"])
    audit_record(
        actor=actor,
        action="assessment.item_override" if changes_auto else "assessment.item_record",
        obj=item,
        object_repr=f"{sheet.account.name}：{item.indicator.wording}"[:200],
        org=sheet.org,
        before=before,
        after={
            "outcome": outcome,
            "occurrences": occurrences,
            "reason": item.override_reason,
            "auto_outcome": item.auto_outcome,
        },
    )
    return item
