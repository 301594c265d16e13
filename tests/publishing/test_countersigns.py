"""会签: the countersigning unit's reviewer sees exactly that article (page, API, search, 审签单
export), read-only apart from the decision; removing the countersign removes the grant; the
article publishes only when every countersign approved its approved revision."""

import pytest

from govmedia.core.errors import Conflict, Forbidden, NotFound, ServiceError
from govmedia.notifications.models import Notification, NotificationKind
from govmedia.publishing import services
from govmedia.publishing.models import ArticleGrant, CountersignState
from govmedia.publishing.services.publications import publish_problem
from tests.conftest import logged_in_client
from tests.publishing.helpers import TODAY, approve_all, fresh, revise, submit, write

pytestmark = pytest.mark.django_db

SECRET = "天中街道内部排班调整方案"


def _asked(n, article, org=None):
    return services.countersign_add(
        actor=n.tian_editor, article_id=article.pk, org_id=(org or n.chen).pk, note="涉及陈集镇"
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
