"""会签: the countersigning unit's reviewer sees exactly that article (page, API, search, 审签单
export), read-only apart from the decision; removing the countersign removes the grant; the
article publishes only when every countersign approved its approved revision."""

import re

import pytest

from govmedia.audit.models import AuditEvent
from govmedia.core.errors import Conflict, Forbidden, NotFound, ServiceError
from govmedia.notifications.models import Notification, NotificationKind
from govmedia.publishing import services
from govmedia.publishing.models import ArticleGrant, Countersign, CountersignState, Publication
from govmedia.publishing.services.publications import publish_problem
from tests.conftest import logged_in_client
from tests.publishing.helpers import TODAY, approve_all, fresh, revise, submit, write

pytestmark = pytest.mark.django_db

SECRET = "天中街道内部排班调整方案"
API = "/api/v1/publishing"


def _asked(n, article, org=None):
    return services.countersign_add(
        actor=n.tian_editor, article_id=article.pk, org_id=(org or n.chen).pk, note="涉及陈集镇"
    )


def _post(client, url, data):
    return client.post(url, data=data, content_type="application/json")


def _events(countersign_id: int) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            object_type="publishing.countersign", object_id=str(countersign_id)
        ).order_by("seq")
    )


def _sees(client, article) -> bool:
    page = client.get(f"/publishing/{article.pk}/")
    api = client.get(f"/api/v1/publishing/articles/{article.pk}")
    assert page.status_code == api.status_code, (page.status_code, api.status_code)
    return page.status_code == 200


def _listed(client, article) -> tuple[bool, bool, bool]:
    """In the list page, in a search by its title (page), in the API's list."""
    row = f'href="/publishing/{article.pk}/"'
    page = client.get("/publishing/").content.decode()
    search = client.get("/publishing/", {"q": article.title[:8]}).content.decode()
    api = client.get("/api/v1/publishing/articles", {"limit": 100}).json()
    return row in page, row in search, article.pk in {a["id"] for a in api["items"]}


def test_the_countersigning_reviewer_sees_exactly_that_article(newsroom):
    n = newsroom
    shared = write(n, title="天中与陈集联合开展冬季供暖检查")
    other = write(n, title=SECRET)
    countersign = _asked(n, shared)
    assert set(ArticleGrant.objects.values_list("user_id", flat=True)) == {n.chen_reviewer.pk}
    assert Notification.objects.filter(
        recipient_user=n.chen_reviewer, kind=NotificationKind.COUNTERSIGN_REQUESTED
    ).exists()
    client = logged_in_client(n.chen_reviewer)
    assert _sees(client, shared) and not _sees(client, other)
    assert _listed(client, shared) == (True, True, True)
    assert _listed(client, other) == (False, False, False)
    assert client.get(f"/publishing/{shared.pk}/sheet.docx").status_code == 200
    assert client.get(f"/publishing/{other.pk}/sheet.docx").status_code == 404
    # Nothing else of 天中 through the grant: its accounts stay out of sight.
    assert client.get(f"/api/v1/registry/accounts/{n.wechat.pk}").status_code == 404
    # 陈集's other users have no grant.
    assert not _sees(logged_in_client(n.chen_editor), shared)
    # Removed: the grant goes with it.
    services.countersign_remove(
        actor=n.tian_editor, countersign_id=countersign.pk, version=countersign.version
    )
    assert not ArticleGrant.objects.exists()
    assert not _sees(client, shared)
    assert _listed(client, shared) == (False, False, False)
    assert client.get(f"/publishing/{shared.pk}/sheet.docx").status_code == 404


def test_the_grant_is_read_only_apart_from_the_decision(newsroom):
    n = newsroom
    article = write(n)
    countersign = _asked(n, article)
    client = logged_in_client(n.chen_reviewer)
    before = fresh(article).version
    for url in (
        f"/publishing/{article.pk}/edit/",
        f"/publishing/{article.pk}/act/",
        f"/publishing/{article.pk}/publish/",
        f"/publishing/{article.pk}/countersigns/",
        f"/publishing/{article.pk}/countersigns/{countersign.pk}/remove/",
    ):
        data = {"version": before, "action": "submit", "org": n.dept.pk, "title": "改"}
        response = client.post(url, data)
        # Refused: not found, or the service's refusal shown on the article's page.
        assert response.status_code in (302, 404), url
        assert fresh(article).version == before and fresh(article).state == "draft", url
    assert article.countersigns.count() == 1 and not article.publications.exists()
    api = client.post(
        f"/api/v1/publishing/articles/{article.pk}/submit",
        data={"version": fresh(article).version},
        content_type="application/json",
    )
    assert api.status_code in (403, 404) and fresh(article).state == "draft"
    response = client.post(
        f"/publishing/{article.pk}/countersigns/{countersign.pk}/decide/",
        {"version": countersign.version, "decision": "approved"},
    )
    assert response.status_code == 302
    assert fresh(countersign).state == CountersignState.APPROVED
    # Only a designated reviewer decides.
    with pytest.raises((Forbidden, NotFound)):
        services.countersign_decide(
            actor=n.chen_editor,
            countersign_id=countersign.pk,
            version=fresh(countersign).version,
            decision="approved",
        )


def test_the_article_publishes_only_after_the_countersign_approved_its_revision(newsroom):
    n = newsroom
    article = write(n)
    countersign = _asked(n, article)
    submit(n, article)
    article = approve_all(n, article)
    problem = publish_problem(article, n.wechat, n.tian_editor, today=TODAY)
    assert isinstance(problem, Conflict) and "陈集镇" in problem.message
    with pytest.raises(ServiceError):
        services.countersign_decide(
            actor=n.chen_reviewer,
            countersign_id=countersign.pk,
            version=countersign.version,
            decision="returned",
        )  # a return needs a reason
    services.countersign_decide(
        actor=n.chen_reviewer,
        countersign_id=countersign.pk,
        version=countersign.version,
        decision="approved",
    )
    assert publish_problem(fresh(article), n.wechat, n.tian_editor, today=TODAY) is None
    assert Notification.objects.filter(
        recipient_user=n.tian_editor, kind=NotificationKind.COUNTERSIGN_DECIDED
    ).exists()
    # A new revision needs the countersign again.
    revise(n, article, title="天中街道冬季供暖服务热线开通（更新）")
    article = fresh(article)
    submit(n, article)
    article = approve_all(n, article)
    assert publish_problem(article, n.wechat, n.tian_editor, today=TODAY) is not None


def test_a_countersign_is_asked_of_another_active_unit_once(newsroom):
    n = newsroom
    article = write(n)
    with pytest.raises(ServiceError):
        _asked(n, article, org=n.tian_office)  # the article's own subtree
    _asked(n, article)
    with pytest.raises(Conflict):
        _asked(n, article)
    with pytest.raises(NotFound):  # 陈集 cannot ask on 天中's article
        services.countersign_add(actor=n.chen_editor, article_id=article.pk, org_id=n.dept.pk)


def test_a_countersign_is_asked_decided_and_withdrawn_through_the_api(newsroom):
    n = newsroom
    article = write(n)
    editor, reviewer = logged_in_client(n.tian_editor), logged_in_client(n.chen_reviewer)
    added = _post(
        editor,
        f"{API}/articles/{article.pk}/countersigns",
        {"org_id": n.chen.pk, "note": "涉及陈集镇"},
    )
    assert added.status_code == 201, added.content
    asked = added.json()
    assert (asked["org_id"], asked["org_name"], asked["state"]) == (n.chen.pk, "陈集镇", "pending")
    assert asked["requested_by_id"] == n.tian_editor.pk and asked["decided_by_id"] is None
    pk = asked["id"]
    # The countersigning unit's 审核人 gets the grant and is told; nobody else of 陈集 is.
    assert list(ArticleGrant.objects.values_list("countersign_id", "user_id")) == [
        (pk, n.chen_reviewer.pk)
    ]
    requested = Notification.objects.get(kind=NotificationKind.COUNTERSIGN_REQUESTED)
    assert requested.recipient_user == n.chen_reviewer
    assert (
        requested.link.endswith(f"/publishing/{article.pk}/") and "涉及陈集镇" in requested.message
    )
    assert [c["id"] for c in reviewer.get(f"{API}/articles/{article.pk}/countersigns").json()] == [
        pk
    ]

    decided = _post(
        reviewer,
        f"{API}/countersigns/{pk}/decide",
        {"version": asked["version"], "decision": "approved"},
    )
    assert decided.status_code == 200, decided.content
    decision = decided.json()
    assert decision["state"] == "approved" and decision["decided_by_id"] == n.chen_reviewer.pk
    assert decision["revision_id"] == fresh(article).current_revision_id
    assert decision["version"] == asked["version"] + 1
    told = Notification.objects.get(kind=NotificationKind.COUNTERSIGN_DECIDED)
    assert told.recipient_user == n.tian_editor and "陈集镇会签" in told.message
    assert "同意" in told.message
    # The same click again (the page's old version): refused, nothing recorded twice.
    again = _post(
        reviewer,
        f"{API}/countersigns/{pk}/decide",
        {"version": asked["version"], "decision": "approved"},
    )
    assert again.status_code == 409

    removed = _post(editor, f"{API}/countersigns/{pk}/remove", {"version": decision["version"]})
    assert removed.status_code == 204, removed.content
    assert not Countersign.objects.filter(pk=pk).exists() and not ArticleGrant.objects.exists()
    assert reviewer.get(f"{API}/articles/{article.pk}").status_code == 404

    add, approved, remove = _events(pk)
    assert [e.action for e in (add, approved, remove)] == [
        "countersign.add",
        "countersign.approved",
        "countersign.remove",
    ]
    assert add.actor == n.tian_editor and add.org == n.tian
    assert add.after == {"org": n.chen.pk, "note": "涉及陈集镇", "grants": [n.chen_reviewer.pk]}
    assert approved.actor == n.chen_reviewer
    assert (approved.before["state"], approved.after["state"]) == ("pending", "approved")
    assert remove.actor == n.tian_editor and remove.before["grants"] == [n.chen_reviewer.pk]
    assert remove.before["state"] == "approved"


def test_a_returned_countersign_is_recorded_and_keeps_the_article_from_publishing(newsroom):
    n = newsroom
    article = write(n)
    countersign = _asked(n, article)
    submit(n, article)
    article = approve_all(n, article)
    reviewer = logged_in_client(n.chen_reviewer)
    url = f"{API}/countersigns/{countersign.pk}/decide"
    unexplained = _post(reviewer, url, {"version": countersign.version, "decision": "returned"})
    assert unexplained.status_code == 400 and unexplained.json()["field"] == "reason"
    returned = _post(
        reviewer,
        url,
        {"version": countersign.version, "decision": "returned", "reason": "请删去陈集镇排班内容"},
    )
    assert returned.status_code == 200, returned.content
    assert returned.json()["state"] == "returned"
    assert returned.json()["reason"] == "请删去陈集镇排班内容"
    (_, event) = _events(countersign.pk)
    assert event.action == "countersign.returned" and event.actor == n.chen_reviewer
    assert event.after["state"] == "returned" and event.after["reason"] == "请删去陈集镇排班内容"
    assert not AuditEvent.objects.filter(action="countersign.approved").exists()
    told = Notification.objects.get(kind=NotificationKind.COUNTERSIGN_DECIDED)
    assert told.recipient_user == n.tian_editor and "退回：请删去陈集镇排班内容" in told.message

    # Approved by both of 天中's steps, the editor authorised: only the return stands in the way.
    refused = _post(
        logged_in_client(n.tian_editor),
        f"{API}/articles/{article.pk}/publish",
        {"version": fresh(article).version, "target_id": article.targets.get().pk},
    )
    assert refused.status_code == 409, refused.content
    assert "陈集镇会签" in refused.json()["message"]
    assert not Publication.objects.filter(article=article).exists()
    assert fresh(article).state == "approved"

    # The audit log names the decision in words, not as 会签的其他操作.
    log = logged_in_client(n.alice).get("/audit/", {"action": "countersign."})
    text = re.sub(r"<[^>]+>", " ", log.content.decode())
    assert "会签退回" in text and "请求会签" in text
    assert "会签的其他操作" not in text
