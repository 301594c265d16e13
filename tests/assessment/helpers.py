"""Running a check through its steps for tests (services only, as the pages will)."""

from govmedia.assessment.models import Check, ItemResult, Method, ScoreSheet
from govmedia.assessment.services import checks, evaluation

from .conftest import CHECK_AT, PERIOD_START


def sampled_check(w, rubric, *, seed=20261124, count=None, ratio="1", strata_by="", rule=None):
    check = checks.check_create(
        actor=w.alice,
        title="2026年第四季度政务新媒体抽查",
        kind="quarterly",
        rubric_id=rubric.pk,
        check_at=CHECK_AT,
        period_start=PERIOD_START,
        population_rule=rule,
        strata_by=strata_by,
        ratio=None if count else ratio,
        count=count,
    )
    return checks.check_draw(actor=w.alice, check_id=check.pk, version=check.version, seed=seed)


def assigned_check(w, rubric, **kw) -> Check:
    check = sampled_check(w, rubric, **kw)
    return checks.check_assign(
        actor=w.alice, check_id=check.pk, version=check.version, checker_ids=[w.alice.pk]
    )


def fill_manual(w, check, *, hits=()) -> None:
    """Every item still pending or undetermined answered by the checker: "hit" (once) for the
    (account, indicator wording) pairs in `hits`, else "pass"."""
    for item in ItemResult.objects.filter(sheet__check_run=check).select_related(
        "indicator", "sheet__account"
    ):
        wanted = (item.sheet.account.handle, item.indicator.wording) in hits
        if item.outcome in ("pending", "undetermined") or wanted:
            sheet = ScoreSheet.objects.get(pk=item.sheet_id)
            automatic = item.indicator.method == Method.AUTOMATIC and item.auto_outcome
            evaluation.item_record(
                actor=w.alice,
                item_id=item.pk,
                version=sheet.version,
                outcome="hit" if wanted else "pass",
                occurrences=1 if wanted else 0,
                reason="人工核实" if automatic else "",
            )


def finish(w, check, *, now=CHECK_AT) -> Check:
    for sheet in ScoreSheet.objects.filter(check_run=check):
        sheet = checks.sheet_submit(actor=w.alice, sheet_id=sheet.pk, version=sheet.version)
        checks.sheet_confirm(actor=w.bob, sheet_id=sheet.pk, version=sheet.version)
    check.refresh_from_db()
    return checks.check_confirm(actor=w.bob, check_id=check.pk, version=check.version, now=now)
