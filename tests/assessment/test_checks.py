"""A spot check from population to rectification, with its scope rules."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from govmedia.assessment import rules, sampling
from govmedia.assessment.models import (
    Check,
    CheckRectification,
    CheckState,
    ItemResult,
    Outcome,
    RectificationState,
    ScoreSheet,
)
from govmedia.assessment.services import checks, evaluation, rubrics
from govmedia.audit.models import AuditEvent
from govmedia.core.errors import ServiceError
from govmedia.notifications.models import Notification
from govmedia.workdays.calendar import deadline
from tests.monitoring.conftest import register

from .conftest import CHECK_AT, add_post, add_pull
from .helpers import assigned_check, fill_manual, finish, sampled_check

pytestmark = pytest.mark.django_db


@pytest.fixture
def rubric(db):
    return rubrics.rubric_default_ensure(year=2026)


def test_the_sample_is_redrawn_from_the_stored_seed_and_population(accounts, rubric):
    check = sampled_check(accounts, rubric, count=3, strata_by="platform")
    again = sampling.draw([tuple(row) for row in check.population], seed=check.seed, count=3)
    assert list(again.ids) == check.sample
    assert (
        sorted(ScoreSheet.objects.filter(check_run=check).values_list("account_id", flat=True))
        == check.sample
    )
    # Population rows are [account id, stratum]: both platforms appear in the sample.
    strata = set(ScoreSheet.objects.filter(check_run=check).values_list("stratum", flat=True))
    assert strata == {"微信公众号", "微博"}


def test_the_population_rule_narrows_and_the_stratum_share_holds(accounts, rubric):
    w = accounts
    check = sampled_check(
        w, rubric, ratio="0.5", strata_by="org_type", rule={"org_types": ["township"]}
    )
    ids = {row[0] for row in check.population}
    assert ids == {w.tian_wechat.pk, w.tian_weibo.pk, w.chen_wechat.pk, w.chen_weibo.pk}
    assert len(check.sample) == 2  # ceil(0.5 × 4)


def test_accounts_checked_recently_can_be_left_out(accounts, rubric):
    w = accounts
    first = assigned_check(w, rubric, count=2)
    fill_manual(w, first)
    finish(w, first)
    later = sampled_check(w, rubric, count=10, rule={"not_checked_months": 3})
    assert not set(later.sample) & set(first.sample)


def test_an_account_is_sampled_at_most_once_in_a_check(accounts, rubric):
    check = sampled_check(accounts, rubric, count=2)
    sheet = ScoreSheet.objects.filter(check_run=check).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        ScoreSheet.objects.create(check_run=check, account=sheet.account, org=sheet.org)


def test_a_check_is_drawn_once(accounts, rubric):
    check = sampled_check(accounts, rubric, count=2)
    with pytest.raises(ServiceError, match="已抽样"):
        checks.check_draw(actor=accounts.alice, check_id=check.pk, version=check.version, seed=1)


def test_automatic_items_are_filled_with_evidence_at_the_check_time(accounts, rubric):
    w = accounts
    quiet = register(w.chen, "douyin", "cj_dy", name="陈集抖音")
    add_post(quiet, days_before=15, seen_days_before=14)
    add_pull(quiet, days_before=1)
    check = assigned_check(w, rubric)
    sheet = ScoreSheet.objects.get(check_run=check, account=quiet)
    veto = ItemResult.objects.get(sheet=sheet, indicator__rule=rules.NO_UPDATE)
    assert (veto.outcome, veto.auto_outcome) == (Outcome.HIT, Outcome.HIT)
    assert "15 天" in veto.evidence[0]["label"]
    assert (sheet.verdict, sheet.vetoed, sheet.score) == ("不合格", True, None)
    manual = ItemResult.objects.filter(sheet=sheet, indicator__method="manual")
    assert set(manual.values_list("outcome", flat=True)) == {Outcome.PENDING}


def test_an_override_needs_a_reason_and_is_audited(accounts, rubric):
    w = accounts
    check = assigned_check(w, rubric)
    sheet = ScoreSheet.objects.get(check_run=check, account=w.tian_wechat)
    item = ItemResult.objects.get(sheet=sheet, indicator__rule=rules.NO_UPDATE)
    with pytest.raises(ServiceError, match="改判理由") as caught:
        evaluation.item_record(actor=w.alice, item_id=item.pk, version=sheet.version, outcome="hit")
    assert caught.value.field == "reason"
    evaluation.item_record(
        actor=w.alice,
        item_id=item.pk,
        version=sheet.version,
        outcome="hit",
        reason="检查时现场访问账号主页，近两周内容均已删除",
    )
    item.refresh_from_db()
    sheet.refresh_from_db()
    assert (item.overridden, item.auto_outcome, item.outcome) == (True, Outcome.PASS, Outcome.HIT)
    assert sheet.vetoed
    event = AuditEvent.objects.get(action="assessment.item_override")
    assert event.after["reason"] == "检查时现场访问账号主页，近两周内容均已删除"
    assert event.after["auto_outcome"] == Outcome.PASS
    # A re-evaluation keeps the checker's result.
    evaluation.evaluate_check(check)
    item.refresh_from_db()
    assert item.outcome == Outcome.HIT


def test_a_stale_sheet_version_is_refused(accounts, rubric):
    w = accounts
    check = assigned_check(w, rubric)
    sheet = ScoreSheet.objects.get(check_run=check, account=w.tian_wechat)
    item = ItemResult.objects.filter(sheet=sheet, indicator__method="manual").first()
    evaluation.item_record(actor=w.alice, item_id=item.pk, version=sheet.version, outcome="pass")
    with pytest.raises(ServiceError, match="已被他人修改"):
        evaluation.item_record(
            actor=w.alice, item_id=item.pk, version=sheet.version, outcome="pass"
        )


def test_a_sheet_with_pending_items_cannot_be_submitted(accounts, rubric):
    w = accounts
    check = assigned_check(w, rubric, count=1)
    sheet = ScoreSheet.objects.get(check_run=check)
    with pytest.raises(ServiceError, match="待人工评价"):
        checks.sheet_submit(actor=w.alice, sheet_id=sheet.pk, version=sheet.version)


def test_a_checker_cannot_confirm_their_own_sheet(accounts, rubric):
    w = accounts
    check = assigned_check(w, rubric, count=1)
    fill_manual(w, check)
    sheet = ScoreSheet.objects.get(check_run=check)
    sheet = checks.sheet_submit(actor=w.alice, sheet_id=sheet.pk, version=sheet.version)
    with pytest.raises(ServiceError, match="自己"):
        checks.sheet_confirm(actor=w.alice, sheet_id=sheet.pk, version=sheet.version)


def test_failures_open_rectification_due_in_working_days_and_a_recheck_closes_them(
    accounts, rubric, settings
):
    w = accounts
    settings.ASSESSMENT_RECTIFY_WORKDAYS = 10
    check = assigned_check(w, rubric)
    fill_manual(w, check, hits={("cj_wb", "弄虚作假：购买粉丝、强制点赞等")})
    check = finish(w, check, now=CHECK_AT + timedelta(days=2))
    assert check.state == CheckState.CONFIRMED
    [row] = CheckRectification.objects.all()
    assert (row.account, row.org, row.state) == (w.chen_weibo, w.chen, RectificationState.OPEN)
    assert row.due_on == deadline((CHECK_AT + timedelta(days=2)).date(), 10).date
    assert "弄虚作假" in row.reasons
    assert Notification.objects.filter(recipient_org=w.chen, kind="assessment_rectify").exists()
    with pytest.raises(ServiceError, match="复查说明"):
        checks.rectification_recheck(actor=w.alice, rectification_id=row.pk, passed=True)
    checks.rectification_recheck(
        actor=w.alice, rectification_id=row.pk, passed=True, note="已清理虚假粉丝", score="92"
    )
    row.refresh_from_db()
    assert (row.state, row.recheck_score) == (RectificationState.CLOSED, Decimal(92))


def test_results_are_hidden_from_units_until_the_bulletin_is_published(accounts, rubric):
    w = accounts
    check = assigned_check(w, rubric)
    fill_manual(w, check)
    finish(w, check)
    for user in (w.tian_unit_admin, w.tian_editor, w.chen_unit_admin):
        assert not ScoreSheet.objects.restrict(user).exists()
        assert not Check.objects.restrict(user).exists()
    assert ScoreSheet.objects.restrict(w.oversight).count() == 5
    Check.objects.filter(pk=check.pk).update(state=CheckState.PUBLISHED)
    own = set(ScoreSheet.objects.restrict(w.tian_unit_admin).values_list("account_id", flat=True))
    assert own == {w.tian_wechat.pk, w.tian_weibo.pk}
    assert Check.objects.restrict(w.chen_editor).get() == check
    # Never another unit's sheets, nor any change.
    assert not ScoreSheet.objects.restrict(w.tian_unit_admin, "score").exists()


def test_a_later_re_evaluation_reproduces_the_results_and_keeps_manual_answers(accounts, rubric):
    w = accounts
    quiet = register(w.chen, "douyin", "cj_dy", name="陈集抖音")
    add_post(quiet, days_before=15, seen_days_before=14)
    add_pull(quiet, days_before=1)
    check = assigned_check(w, rubric)
    fill_manual(w, check)

    def results():
        return sorted(
            ItemResult.objects.filter(sheet__check_run=check).values_list(
                "sheet_id", "indicator_id", "outcome", "occurrences", "evidence"
            )
        )

    def scores():
        return sorted(
            ScoreSheet.objects.filter(check_run=check).values_list("pk", "verdict", "score")
        )

    before, sheet_scores = results(), scores()
    # A post published and seen after the check time does not change what the check found.
    add_post(quiet, days_before=-1, seen_days_before=-1)
    assert evaluation.evaluate_check(check) == len(check.sample)
    assert results() == before and scores() == sheet_scores
    count = ItemResult.objects.filter(sheet__check_run=check).count()
    assert count == len(check.sample) * rubric.indicators.count()
