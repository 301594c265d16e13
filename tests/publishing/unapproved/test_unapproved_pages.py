"""The 未经审核发布 pages: the list per unit, one finding with the nearest revision side by side,
the platform administrator's dismissal (audited); another township's findings are not found."""

import pytest

from govmedia.audit.models import AuditEvent
from govmedia.core.errors import Forbidden, ServiceError
from govmedia.publishing.models import MatchState
from govmedia.publishing.unapproved import match_posts, post_match_dismiss
from tests.conftest import logged_in_client
from tests.publishing.helpers import approved, fresh
from tests.publishing.unapproved.helpers import FUNDS, judged, pulled

pytestmark = pytest.mark.django_db

CHANGED = FUNDS.replace("3000万元", "5000万元")


@pytest.fixture
def finding(newsroom):
    approved(newsroom, body=FUNDS, picture=False)
    return judged(pulled(newsroom.wechat, CHANGED, title="老旧小区改造开工"))


def test_the_list_shows_the_finding_to_its_unit_and_the_district(newsroom, finding):
    for user in (newsroom.tian_editor, newsroom.alice, newsroom.oversight):
        page = logged_in_client(user).get("/publishing/unapproved/")
        assert page.status_code == 200
        assert "老旧小区改造开工" in page.content.decode()
    other = logged_in_client(newsroom.chen_unit_admin).get("/publishing/unapproved/")
    assert (
        "老旧小区改造开工" not in other.content.decode()
        and "没有未经审核发布" in other.content.decode()
    )


def test_the_list_filters_by_unit_account_and_state(newsroom, finding):
    client = logged_in_client(newsroom.alice)
    shown = {
        query: "老旧小区改造开工" in client.get(f"/publishing/unapproved/?{query}").content.decode()
        for query in (
            f"org={newsroom.tian.pk}",
            f"org={newsroom.chen.pk}",
            f"account={newsroom.wechat.pk}",
            f"account={newsroom.weibo.pk}",
            "state=matched",
            "state=all&page=9",
        )
    }
    assert shown == {
        f"org={newsroom.tian.pk}": True,
        f"org={newsroom.chen.pk}": False,
        f"account={newsroom.wechat.pk}": True,
        f"account={newsroom.weibo.pk}": False,
        "state=matched": False,
        "state=all&page=9": True,
    }


def test_the_detail_shows_the_revision_and_the_post_side_by_side(newsroom, finding):
    page = logged_in_client(newsroom.tian_editor).get(f"/publishing/unapproved/{finding.pk}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert '<del class="diff-del">3</del>' in html and '<ins class="diff-ins">5</ins>' in html
    assert "5000万元" in html and "未见于审核通过的稿件" in html  # the matcher's reason
    assert "排除误判" not in html  # only the district office dismisses


def test_another_townships_finding_is_not_found(newsroom, finding):
    client = logged_in_client(newsroom.chen_unit_admin)
    assert client.get(f"/publishing/unapproved/{finding.pk}/").status_code == 404
    dismiss = client.post(f"/publishing/unapproved/{finding.pk}/dismiss/", {"reason": "x"})
    assert dismiss.status_code == 404
    assert fresh(finding).state == MatchState.UNAPPROVED


def test_only_a_platform_administrator_dismisses_and_it_is_audited(newsroom, finding):
    with pytest.raises(Forbidden):
        post_match_dismiss(
            actor=newsroom.tian_unit_admin,
            match_id=finding.pk,
            version=finding.version,
            reason="误判",
        )
    with pytest.raises(ServiceError, match="排除理由"):
        post_match_dismiss(
            actor=newsroom.alice, match_id=finding.pk, version=finding.version, reason=" "
        )
    client = logged_in_client(newsroom.alice)
    page = client.get(f"/publishing/unapproved/{finding.pk}/")
    assert "排除误判" in page.content.decode()
    reason = "转发区政府办公室已审核发布的通知，金额以区政府通知为准"
    response = client.post(
        f"/publishing/unapproved/{finding.pk}/dismiss/",
        {"version": finding.version, "reason": reason},
    )
    assert response.status_code == 302
    row = fresh(finding)
    assert row.state == MatchState.DISMISSED and row.dismissed_by == newsroom.alice
    event = AuditEvent.objects.get(action="post_match.dismiss")
    assert event.actor == newsroom.alice and event.after["dismiss_reason"] == reason
    assert event.before["state"] == "unapproved" and event.org == newsroom.tian
    # A second click (stale version) changes nothing.
    client.post(
        f"/publishing/unapproved/{finding.pk}/dismiss/",
        {"version": finding.version, "reason": "再次"},
    )
    assert AuditEvent.objects.filter(action="post_match.dismiss").count() == 1


def test_a_dismissal_holds_until_the_post_changes(newsroom, finding):
    post_match_dismiss(
        actor=newsroom.alice, match_id=finding.pk, version=finding.version, reason="误判"
    )
    match_posts([finding.post_id], force=True)
    assert fresh(finding).state == MatchState.DISMISSED


def test_a_post_with_no_approved_revision_near_it_is_shown_alone(newsroom):
    match = judged(pulled(newsroom.weibo, "<p>天中街道今日停水通知，恢复时间另行通知。</p>"))
    page = logged_in_client(newsroom.tian_unit_admin).get(f"/publishing/unapproved/{match.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and "没有与之相近的审核通过的稿件" in html
    assert "天中街道今日停水通知" in html
