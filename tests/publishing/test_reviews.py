"""Runs and decisions: 分级审核, approval bound to the revision, 谁审查谁负责, screening gates,
withdraw, return and restart, hand-over, and scope."""

from datetime import datetime

import pytest

from govmedia.audit.models import AuditEvent
from govmedia.core.errors import Conflict, Forbidden, NotFound, ServiceError
from govmedia.notifications.models import Notification
from govmedia.publishing import services
from govmedia.publishing.models import (
    Article,
    ReviewDecision,
    ReviewRun,
    ReviewRunStep,
)
from govmedia.screening.services import lexicon_term_create
from tests.conftest import make_user
from tests.publishing.helpers import (
    ALL_CHECKS,
    CHINA,
    NOW,
    active_step,
    decide,
    fresh,
    revise,
    step_spec,
    submit,
    write,
)

pytestmark = pytest.mark.django_db


def notes(user, kind=None):
    rows = Notification.objects.filter(recipient_user=user)
    if kind:
        rows = rows.filter(kind=kind)
    return list(rows.values_list("kind", flat=True))


def test_two_steps_approve_the_article_and_each_decision_names_its_reviewer(newsroom):
    n = newsroom
    article = write(n)
    run = submit(n, article)
    assert fresh(article).state == "in_review"
    assert notes(n.tian_reviewer) == ["review_requested"] and notes(n.tian_leader) == []
    first = decide(n.tian_reviewer, active_step(article), reason="同意")
    assert fresh(article).state == "in_review"
    assert notes(n.tian_leader) == ["review_requested"]
    second = decide(n.tian_leader, active_step(article))
    article = fresh(article)
    assert article.state == "approved" and fresh(run).state == "approved"
    assert [(d.reviewer, d.run_step.stage) for d in (first, second)] == [
        (n.tian_reviewer, "first"),
        (n.tian_leader, "final"),
    ]
    assert first.revision_hash == article.current_revision.content_hash
    assert first.checks == ALL_CHECKS
    assert "review_approved" in notes(n.tian_editor)
    assert "publish_ready" in notes(n.tian_editor)  # the editor is also the authorised publisher
    assert AuditEvent.objects.filter(action="review.approve").count() == 2


def test_due_times_are_counted_in_working_hours_and_days(newsroom):
    n = newsroom
    article = write(n)
    submit(n, article)  # Tuesday 10:00; 初审 within 4 working hours
    first = active_step(article)
    assert first.due_at == datetime(2026, 11, 24, 15, 30, tzinfo=CHINA)  # lunch not counted
    decide(n.tian_reviewer, first, now=datetime(2026, 11, 27, 17, 0, tzinfo=CHINA))  # Friday
    final = active_step(article)  # 终审 within 1 working day: Monday, close of business
    assert final.due_at == datetime(2026, 11, 30, 18, 0, tzinfo=CHINA)


def test_the_author_never_approves_their_own_article(newsroom):
    n = newsroom
    services.review_flow_update(
        actor=n.tian_unit_admin,
        flow_id=n.flow.pk,
        version=n.flow.version,
        steps=[step_spec("first", [n.tian_unit_admin, n.tian_reviewer])],
    )
    article = write(n, actor=n.tian_unit_admin)  # the unit administrator writes and reviews
    submit(n, article, actor=n.tian_unit_admin)
    step = active_step(article)
    assert list(step.reviewers.all()) == [n.tian_reviewer]  # the author left out
    with pytest.raises(Forbidden):
        decide(n.tian_unit_admin, step)
    assert not ReviewDecision.objects.exists()


def test_a_flow_whose_only_reviewer_is_the_author_cannot_start(newsroom):
    n = newsroom
    services.review_flow_update(
        actor=n.tian_unit_admin,
        flow_id=n.flow.pk,
        version=n.flow.version,
        steps=[step_spec("first", [n.tian_unit_admin])],
    )
    article = write(n, actor=n.tian_unit_admin)
    with pytest.raises(ServiceError, match="作者本人不能审核自己的稿件"):
        submit(n, article, actor=n.tian_unit_admin)


def test_whoever_edited_the_article_does_not_review_it(newsroom):
    n = newsroom
    article = write(n)
    revise(n, article, actor=n.tian_unit_admin)  # the unit administrator edits the editor's text
    services.review_flow_update(
        actor=n.tian_unit_admin,
        flow_id=n.flow.pk,
        version=n.flow.version,
        steps=[step_spec("first", [n.tian_unit_admin, n.tian_reviewer])],
    )
    submit(n, article)
    assert list(active_step(article).reviewers.all()) == [n.tian_reviewer]


def test_nobody_approves_twice_in_one_run(newsroom):
    n = newsroom
    services.review_flow_update(
        actor=n.tian_unit_admin,
        flow_id=n.flow.pk,
        version=n.flow.version,
        steps=[
            step_spec("first", org=n.tian, role="reviewer"),
            step_spec("final", org=n.tian, role="reviewer"),
        ],
    )
    article = write(n)
    submit(n, article)
    decide(n.tian_reviewer, active_step(article))  # 初审
    with pytest.raises(Forbidden, match="不能既初审又终审"):
        decide(n.tian_reviewer, active_step(article))
    decide(n.tian_leader, active_step(article))
    assert fresh(article).state == "approved"


def test_an_all_of_step_needs_every_reviewer(newsroom):
    n = newsroom
    services.review_flow_update(
        actor=n.tian_unit_admin,
        flow_id=n.flow.pk,
        version=n.flow.version,
        steps=[step_spec("first", [n.tian_reviewer, n.tian_leader], mode="all")],
    )
    article = write(n)
    submit(n, article)
    step = active_step(article)
    decide(n.tian_reviewer, step)
    assert fresh(step).state == "active" and fresh(article).state == "in_review"
    with pytest.raises(Conflict, match="已对审核环节"):
        decide(n.tian_reviewer, step)
    decide(n.tian_leader, step)
    assert fresh(step).state == "approved" and fresh(article).state == "approved"


def test_approving_needs_the_four_checks(newsroom):
    n = newsroom
    article = write(n)
    submit(n, article)
    with pytest.raises(ServiceError) as error:
        decide(n.tian_reviewer, active_step(article), checks=ALL_CHECKS | {"secrecy": False})
    assert error.value.field == "checks" and "尚未确认：保密关" in error.value.message


def test_a_decision_about_another_text_is_refused(newsroom):
    n = newsroom
    article = write(n)
    submit(n, article)
    with pytest.raises(Conflict) as error:
        decide(n.tian_reviewer, active_step(article), revision_hash="0" * 64)
    assert error.value.field == "revision_hash"


def test_a_block_finding_prevents_submission(newsroom):
    n = newsroom
    lexicon_term_create(
        actor=n.alice, term="内部资料", category="classified", severity="block", suggestion="删除"
    )
    article = write(n, body="<p>附：内部资料一份，供参考。</p>")
    with pytest.raises(ServiceError) as error:
        submit(n, article)
    assert error.value.code == "blocked" and error.value.field == "body"
    assert "“内部资料”" in error.value.message and "禁止发布" in error.value.message
    assert fresh(article).state == "draft" and not ReviewRun.objects.exists()


def test_a_block_term_added_after_the_edit_still_blocks(newsroom):
    n = newsroom
    article = write(n, body="<p>附：内部资料一份，供参考。</p>")
    lexicon_term_create(actor=n.alice, term="内部资料", category="classified", severity="block")
    with pytest.raises(ServiceError, match="禁止发布"):
        submit(n, article)


def test_a_warn_finding_cannot_pass_a_step_without_its_acknowledgement(newsroom):
    n = newsroom
    lexicon_term_create(
        actor=n.alice, term="服务热线", category="typo", severity="warn", suggestion="核实号码"
    )
    article = write(n)
    run = submit(n, article)
    warns = [f for f in run.findings if f["severity"] == "warn"]
    assert len(warns) == 2  # title and body
    partial = {warns[0]["key"]: "已核实"}
    for given in ({}, partial, {warns[0]["key"]: "已核实", warns[1]["key"]: "  "}):
        with pytest.raises(ServiceError) as error:
            decide(n.tian_reviewer, active_step(article), acknowledgements=given)
        assert error.value.field == "acknowledgements"
        assert "服务热线" in error.value.message
    acks = {f["key"]: "热线号码已与街道办核实" for f in warns}
    decision = decide(n.tian_reviewer, active_step(article), acknowledgements=acks)
    assert decision.acknowledgements[warns[0]["key"]]["reason"] == "热线号码已与街道办核实"
    assert decision.acknowledgements[warns[0]["key"]]["matched"] == "服务热线"
    # Returning needs no acknowledgement: only passing a step does.
    decide(n.tian_leader, active_step(article), "return")
    assert fresh(article).state == "returned"


def test_return_makes_the_article_editable_and_a_new_revision_restarts_the_flow(newsroom):
    n = newsroom
    article = write(n)
    first_run = submit(n, article)
    decide(n.tian_reviewer, active_step(article))
    decide(n.tian_leader, active_step(article), "return", reason="请补充热线号码")
    article = fresh(article)
    assert article.state == "returned" and fresh(first_run).state == "returned"
    assert "review_returned" in notes(n.tian_editor)
    revise(n, article)
    assert fresh(article).state == "draft"
    second_run = submit(n, article)
    assert second_run.revision.number == 2
    step = active_step(article)
    assert step.run == second_run and step.stage == "first"  # from the first step again
    # The reviewer who approved 初审 of the old run may approve the new one.
    decide(n.tian_reviewer, step)


def test_reject_is_final(newsroom):
    n = newsroom
    article = write(n)
    submit(n, article)
    decide(n.tian_reviewer, active_step(article), "reject", reason="与街道职能无关")
    assert fresh(article).state == "rejected"
    assert "review_rejected" in notes(n.tian_editor)
    with pytest.raises(Conflict, match="已驳回"):
        revise(n, article)
    with pytest.raises(Conflict):
        submit(n, article)


def test_return_and_reject_need_a_reason(newsroom):
    n = newsroom
    article = write(n)
    submit(n, article)
    with pytest.raises(ServiceError) as error:
        decide(n.tian_reviewer, active_step(article), "return", reason=" ")
    assert error.value.field == "reason" and "退回理由" in error.value.message


def test_withdraw_before_the_first_decision_only(newsroom):
    n = newsroom
    article = write(n)
    run = submit(n, article)
    services.article_withdraw(
        actor=n.tian_editor, article_id=article.pk, version=fresh(article).version
    )
    assert fresh(article).state == "draft" and fresh(run).state == "withdrawn"
    assert set(run.steps.values_list("state", flat=True)) == {"cancelled"}
    submit(n, article)
    decide(n.tian_reviewer, active_step(article))
    with pytest.raises(Conflict, match="不能撤回"):
        services.article_withdraw(
            actor=n.tian_editor, article_id=article.pk, version=fresh(article).version
        )


def test_an_edit_during_review_voids_the_run(newsroom):
    n = newsroom
    article = write(n)
    run = submit(n, article)
    step = active_step(article)
    revise(n, article)
    assert fresh(run).state == "cancelled" and fresh(article).state == "draft"
    with pytest.raises(Conflict):
        decide(n.tian_reviewer, step)


def test_a_concurrent_decision_on_a_decided_step_is_refused(newsroom):
    n = newsroom
    services.review_flow_update(
        actor=n.tian_unit_admin,
        flow_id=n.flow.pk,
        version=n.flow.version,
        steps=[step_spec("first", [n.tian_reviewer, n.tian_leader])],
    )
    article = write(n)
    submit(n, article)
    step = active_step(article)  # both read the step at the same version
    decide(n.tian_reviewer, step)
    with pytest.raises(Conflict):
        services.review_decide(
            actor=n.tian_leader,
            run_step_id=step.pk,
            version=step.version,
            decision="approve",
            revision_hash=step.run.revision_hash,
            checks=ALL_CHECKS,
            now=NOW,
        )
    assert ReviewDecision.objects.count() == 1


def test_a_reviewer_hands_the_step_to_another_eligible_reviewer(newsroom):
    n = newsroom
    deputy = make_user("tian_deputy", n.tian, "reviewer", name="天中副审")
    article = write(n)
    submit(n, article)
    step = active_step(article)
    services.review_reassign(
        actor=n.tian_reviewer,
        run_step_id=step.pk,
        version=step.version,
        to_user_id=deputy.pk,
        note="本周外出学习，请代为初审",
    )
    assert list(fresh(step).reviewers.all()) == [deputy]
    assert notes(deputy, "review_reassigned") == ["review_reassigned"]
    event = AuditEvent.objects.get(action="review.reassign")
    assert event.after["note"] == "本周外出学习，请代为初审" and event.after["to"] == deputy.pk
    with pytest.raises(Forbidden):
        decide(n.tian_reviewer, step)
    decide(deputy, step)
    assert active_step(article).stage == "final"


def test_hand_over_only_to_someone_who_may_review_it(newsroom):
    n = newsroom
    article = write(n)
    submit(n, article)
    step = active_step(article)
    for user, message in (
        (n.chen_reviewer, "不是该稿件的可选审核人"),
        (n.tian_editor, "不是该稿件的可选审核人"),
    ):
        with pytest.raises(ServiceError, match=message):
            services.review_reassign(
                actor=n.tian_reviewer,
                run_step_id=step.pk,
                version=step.version,
                to_user_id=user.pk,
                note="转交",
            )
    with pytest.raises(ServiceError, match="转交说明"):
        services.review_reassign(
            actor=n.tian_reviewer,
            run_step_id=step.pk,
            version=step.version,
            to_user_id=n.tian_leader.pk,
            note="",
        )


def test_the_unit_administrator_hands_on_a_reviewers_share(newsroom):
    n = newsroom
    article = write(n)
    submit(n, article)
    step = active_step(article)
    deputy = make_user("tian_deputy", n.tian, "reviewer")
    services.review_reassign(
        actor=n.tian_unit_admin,
        run_step_id=step.pk,
        version=step.version,
        to_user_id=deputy.pk,
        from_user_id=n.tian_reviewer.pk,
        note="初审人休假，改由副审审核",
    )
    assert list(fresh(step).reviewers.all()) == [deputy]
    with pytest.raises(Forbidden):
        services.review_reassign(
            actor=n.tian_editor,
            run_step_id=step.pk,
            version=fresh(step).version,
            to_user_id=n.tian_reviewer.pk,
            from_user_id=deputy.pk,
            note="x",
        )


def test_a_reviewer_of_one_township_never_sees_anothers_articles(newsroom):
    n = newsroom
    tian = write(n)
    chen = write(n, actor=n.chen_editor, org_id=n.chen.pk, targets=[n.chen_wechat])
    submit(n, tian)
    assert set(Article.objects.restrict(n.chen_reviewer)) == {chen}
    assert set(Article.objects.restrict(n.tian_reviewer)) == {tian}
    assert set(Article.objects.restrict(n.oversight)) == {tian, chen}
    assert not ReviewRunStep.objects.restrict(n.chen_reviewer).exists()
    with pytest.raises(NotFound):
        decide(n.chen_reviewer, active_step(tian))
    assert not Article.objects.restrict(n.oversight, "write").exists()
