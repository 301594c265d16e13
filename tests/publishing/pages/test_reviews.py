"""审核待办 and the decision page: the revision with its findings inline, the four checks, one
acknowledgement per warn finding, 通过 / 退回修改 / 驳回, 转交; the reviewer named afterwards."""

import pytest
from django.urls import reverse

from govmedia.publishing.models import ArticleState, ReviewDecision, ReviewRun
from tests.conftest import logged_in_client
from tests.publishing.helpers import active_step, decide, fresh, submit, write

pytestmark = pytest.mark.django_db

CHECKED = {
    "check_political": "on",
    "check_legal": "on",
    "check_secrecy": "on",
    "check_wording": "on",
}


def url(name, *args):
    return reverse(f"publishing:{name}", args=args)


def submitted(n, **kw):
    article = write(n, **kw)
    submit(n, article)
    return fresh(article)


def post_decision(client, step, decision="approve", **extra):
    step = fresh(step)
    data = {
        "decision": decision,
        "version": step.version,
        "revision_hash": step.run.revision_hash,
    }
    if decision == "approve":
        data |= CHECKED
    return client.post(url("review", step.pk), data | extra)


def test_inbox_lists_waiting_steps_with_counts(newsroom):
    n = newsroom
    article = submitted(n)
    client = logged_in_client(n.tian_reviewer)
    page = client.get(url("inbox")).content.decode()
    assert article.title in page and "初审" in page and "待我审核" in page
    assert 'class="count"' in page  # the count on the tab, and beside 稿件审核 in the navigation
    assert 'aria-label="1 项待处理"' in client.get("/").content.decode()
    assert "项待处理" not in logged_in_client(n.tian_editor).get("/").content.decode()
    assert article.title not in logged_in_client(n.tian_leader).get(url("inbox")).content.decode()


def test_inbox_is_not_for_editors(newsroom):
    assert logged_in_client(newsroom.tian_editor).get(url("inbox")).status_code == 404


def test_overdue_first_and_marked(newsroom):
    n = newsroom
    submitted(n, title="早已超期的稿件")  # submitted at NOW (in the past): overdue by now
    page = logged_in_client(n.tian_reviewer).get(url("inbox")).content.decode()
    assert "已超期" in page


def test_decision_page_shows_text_checks_and_hash(newsroom):
    n = newsroom
    article = submitted(n)
    step = active_step(article)
    page = logged_in_client(n.tian_reviewer).get(url("review", step.pk)).content.decode()
    for check in ("政治关", "法律关", "保密关", "文字关"):
        assert check in page
    assert f'value="{step.run.revision_hash}"' in page and "冬季供暖" in page
    assert "国办发〔2018〕123号" in page


def test_approve_through_the_page_and_double_submit_refused(newsroom):
    n = newsroom
    article = submitted(n)
    step = active_step(article)
    client = logged_in_client(n.tian_reviewer)
    data = {
        "decision": "approve",
        "version": step.version,
        "revision_hash": step.run.revision_hash,
    } | CHECKED
    assert client.post(url("review", step.pk), data).status_code == 302
    decision = ReviewDecision.objects.get()
    assert decision.reviewer == n.tian_reviewer and all(decision.checks.values())
    again = client.post(url("review", step.pk), data)
    assert again.status_code in (400, 403, 409)
    assert ReviewDecision.objects.count() == 1


def test_missing_checks_named_in_chinese(newsroom):
    n = newsroom
    step = active_step(submitted(n))
    answer = post_decision(
        logged_in_client(n.tian_reviewer), step, check_wording="", check_secrecy=""
    )
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "尚未确认：保密关、文字关" in page
    assert not ReviewDecision.objects.exists()


def test_return_needs_a_reason_and_then_the_author_sees_it(newsroom):
    n = newsroom
    article = submitted(n)
    step = active_step(article)
    client = logged_in_client(n.tian_reviewer)
    answer = post_decision(client, step, "return")
    assert answer.status_code == 400 and "请填写退回理由" in answer.content.decode()
    post_decision(client, step, "return", reason="请补充热线号码")
    assert fresh(article).state == ArticleState.RETURNED
    page = logged_in_client(n.tian_editor).get(url("article", article.pk)).content.decode()
    assert "请补充热线号码" in page and n.tian_reviewer.name in page


def test_a_stale_revision_hash_is_refused(newsroom):
    n = newsroom
    step = active_step(submitted(n))
    answer = post_decision(logged_in_client(n.tian_reviewer), step, revision_hash="0" * 64)
    assert answer.status_code == 409 and "提交审核的修订不一致" in answer.content.decode()


def test_warn_findings_need_an_acknowledgement(newsroom, monkeypatch):
    n = newsroom
    warn = {
        "key": "body:0:2:天中",
        "where": "body",
        "category": "wording",
        "category_label": "规范表述",
        "rule": "天中",
        "severity": "warn",
        "matched": "天中",
        "suggestion": "",
        "basis": "",
        "start": 0,
        "end": 2,
    }
    article = submitted(n)
    ReviewRun.objects.filter(article=article).update(findings=[warn])
    step = active_step(article)
    client = logged_in_client(n.tian_reviewer)
    page = client.get(url("review", step.pk)).content.decode()
    assert "提醒核实" in page and 'name="ack_0"' in page and "finding sev-warn" in page
    answer = post_decision(client, step)
    assert answer.status_code == 400 and "说明核实情况" in answer.content.decode()
    assert post_decision(client, step, ack_0="已核实，属本街道名称").status_code == 302
    assert ReviewDecision.objects.get().acknowledgements["body:0:2:天中"]["reason"]


def test_reassign_to_another_reviewer(newsroom):
    n = newsroom
    from tests.conftest import make_user

    deputy = make_user("tian_deputy", n.tian, "reviewer", name="天中副审")
    step = active_step(submitted(n))
    client = logged_in_client(n.tian_reviewer)
    page = client.get(url("review", step.pk)).content.decode()
    assert "转交给其他审核人" in page and "天中副审" in page
    answer = client.post(
        url("reassign", step.pk), {"to_user": deputy.pk, "note": "", "version": step.version}
    )
    assert answer.status_code == 400
    answer = client.post(
        url("reassign", step.pk),
        {"to_user": deputy.pk, "note": "出差，请代为初审", "version": step.version},
    )
    assert answer.status_code == 302
    assert list(fresh(step).reviewers.all()) == [deputy]


def test_another_township_gets_404(newsroom):
    n = newsroom
    step = active_step(submitted(n))
    client = logged_in_client(n.chen_reviewer)
    assert client.get(url("review", step.pk)).status_code == 404
    assert post_decision(client, step).status_code == 404
    assert client.post(url("reassign", step.pk), {}).status_code == 404


def test_author_sees_the_page_but_cannot_decide(newsroom):
    n = newsroom
    article = write(n, actor=n.tian_unit_admin)
    submit(n, article, actor=n.tian_unit_admin)
    step = active_step(article)
    decide(n.tian_reviewer, step)
    client = logged_in_client(n.tian_unit_admin)
    page = client.get(url("review", active_step(article).pk)).content.decode()
    assert "提交审核意见" not in page
