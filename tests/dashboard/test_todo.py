"""The 工作台's to-do list of each role lists exactly what waits for that role within its scope,
and never another unit's (issue 14 item 1). One test per role of the demo."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from govmedia.core.todo import TodoKind
from govmedia.dashboard.todo import todo_items
from govmedia.publishing.models import ReviewRunStep
from tests.conftest import logged_in_client
from tests.publishing.helpers import TODAY


def listed(user) -> dict[str, set[tuple[str, str]]]:
    """(label, object) of each line, by kind; empty kinds left out."""
    todo = todo_items(user, today=TODAY)
    return {
        str(kind): {(item.label, item.ref) for item in lines}
        for kind, lines in todo.items()
        if lines
    }


def filing(f):
    return f"registry.filing:{f.pk}"


def rect(r):
    return f"monitoring.rectification:{r.pk}"


def account(a):
    return f"registry.mediaaccount:{a.pk}"


def test_platform_admin_files_confirms_handles_cases_and_watches_the_district(month):
    m, w = month, month.world
    assert listed(w.alice) == {
        "act": {
            ("准予备案", filing(m.chen_filing)),
            ("确认整改", rect(m.chen_rect)),
            ("核实假冒账号线索", f"counterfeit.suspectaccount:{m.case.pk}"),
        },
        "watch": {("提交备案", filing(m.tian_draft))},  # overdue since 11 November
        "account": {
            ("长期未更新（单项否决风险）", account(w.weibo)),
            ("未备案：补办开设备案", account(m.chen_unfiled)),
        },
    }


def test_supervisor_reviewer_co_signs_the_filings_of_its_subordinates(month):
    m, w = month, month.world
    assert listed(w.tian_supervisor_reviewer) == {
        "act": {("主管单位审核", filing(m.office_filing))}
    }
    assert listed(w.chen_supervisor_reviewer) == {}


def test_unit_admin_submits_corrects_and_follows_its_own_unit(month):
    m, w = month, month.world
    tian = todo_items(w.tian_unit_admin, today=TODAY)
    assert listed(w.tian_unit_admin) == {
        # Not the office's filing: the one who submitted it does not co-sign it.
        "act": {("提交备案", filing(m.tian_draft)), ("整改", rect(m.tian_rect))},
        "watch": {("假冒本单位账号（发现）", f"counterfeit.suspectaccount:{m.case.pk}")},
        "account": {("长期未更新（单项否决风险）", account(w.weibo))},
    }
    draft = next(i for i in tian[TodoKind.ACT] if i.ref == filing(m.tian_draft))
    assert draft.overdue and str(draft.due_on) == "2026-11-11"
    assert tian[TodoKind.ACT][0] == draft  # overdue first
    assert listed(w.chen_unit_admin) == {
        "account": {("未备案：补办开设备案", account(m.chen_unfiled))}
    }


def test_editor_sees_their_own_work_only(month):
    m, w = month, month.world
    assert listed(w.tian_editor) == {"act": {("整改", rect(m.tian_rect))}}
    assert listed(w.chen_editor) == {}


def test_reviewer_sees_the_review_steps_of_their_inbox(month):
    m, w = month, month.world
    step = ReviewRunStep.objects.get(run__article=m.article, state="active")
    assert listed(w.tian_reviewer) == {
        "act": {("稿件审核（初审）", f"publishing.reviewrunstep:{step.pk}")}
    }
    assert listed(w.chen_reviewer) == {}


def test_oversight_watches_the_district_and_acts_on_nothing(month):
    m, w = month, month.world
    assert listed(w.oversight) == {
        "watch": {("提交备案", filing(m.tian_draft))},
        "account": {
            ("长期未更新（单项否决风险）", account(w.weibo)),
            ("未备案", account(m.chen_unfiled)),  # 监督 reads; the unit files
        },
    }


def test_the_page_links_each_line_and_counts_in_the_navigation(month):
    m, w = month, month.world
    page = logged_in_client(w.tian_unit_admin).get("/").content.decode()
    assert f'href="/registry/filings/{m.tian_draft.pk}/"' in page
    assert f'href="{reverse("monitoring:rectification", args=[m.tian_rect.pk])}"' in page
    assert "待我办理（2）" in page and "已逾期" in page
    assert "陈集" not in page  # never another unit's
    assert "单位概况" in page  # the unit administrator keeps the org counts, below
    editor = logged_in_client(w.tian_editor).get("/").content.decode()
    assert "启用用户" not in editor and "待我办理（1）" in editor
    # Beside 备案管理, 内容整改 and 假冒账号: what waits for the user there.
    admin = logged_in_client(w.alice).get("/").content.decode()
    for label in ("备案管理", "内容整改", "假冒账号"):
        assert f'{label} <span class="tag red" title="等待您处理" aria-label="1 项待处理">' in admin
    supervisor = logged_in_client(w.tian_supervisor_reviewer).get("/").content.decode()
    assert (
        '备案管理 <span class="tag red" title="等待您处理" aria-label="1 项待处理">' in supervisor
    )
    assert "内容整改 <span" not in supervisor


def test_the_list_takes_a_bounded_number_of_queries(month):
    w = month.world
    with CaptureQueriesContext(connection) as ctx:
        todo_items(w.alice, today=TODAY)
    assert len(ctx.captured_queries) < 30
