"""/api/v1/publishing over real HTTP: write, review and publish through the services; scope,
self-approval, stale versions and unapproved revisions answer in the project's error format."""

import pytest

from govmedia.publishing import tasks
from govmedia.publishing.models import ArticleState, Publication, PublicationState
from tests.conftest import logged_in_client
from tests.publishing.helpers import (
    ALL_CHECKS,
    BODY,
    GRANT_UNTIL,
    SOURCE,
    TITLE,
    active_step,
    approve_all,
    fresh,
    submit,
    write,
)

API = "/api/v1/publishing"


def post(client, url, data=None):
    return client.post(url, data=data or {}, content_type="application/json")


def decide_body(article_json, step_id, **extra):
    return {
        "version": extra.pop("version", None) or _step_version(article_json, step_id),
        "decision": "approve",
        "revision_hash": article_json["content_hash"],
        "checks": ALL_CHECKS,
    } | extra


def _step_version(article_json, step_id):
    for run in article_json["runs"]:
        for step in run["steps"]:
            if step["id"] == step_id:
                return step["version"]
    raise AssertionError(step_id)


def test_write_review_and_publish_through_the_api(world, newsroom, on_fakes):
    n = newsroom
    editor = logged_in_client(n.tian_editor)
    created = post(
        editor,
        f"{API}/articles",
        {
            "org_id": n.tian.pk,
            "content_class": "daily",
            "title": TITLE,
            "body_html": BODY + '<p onclick="x()">热线<script>alert(1)</script></p>',
            "target_ids": [n.weibo.pk],
            "source_url": SOURCE,  # Weibo's share needs a link on the app's domain
        },
    )
    assert created.status_code == 201, created.content
    article = created.json()
    assert article["state"] == "draft" and article["revision_number"] == 1
    assert "script" not in article["current_revision"]["body_html"]
    assert "onclick" not in article["current_revision"]["body_html"]
    assert [t["account_name"] for t in article["targets"]] == ["天中微博"]
    url = f"{API}/articles/{article['id']}"

    revised = post(
        editor,
        f"{url}/revisions",
        {"version": article["version"], "title": TITLE, "body_html": BODY + "<p>电话2219000</p>"},
    )
    assert revised.status_code == 201, revised.content
    article = revised.json()
    assert article["revision_number"] == 2
    revisions = editor.get(f"{url}/revisions").json()
    assert [r["number"] for r in revisions] == [1, 2]
    one = editor.get(f"{url}/revisions/{revisions[0]['id']}").json()
    assert one["body_html"].startswith("<p>天中街道") and one["author"]["name"]

    submitted = post(editor, f"{url}/submit", {"version": article["version"]})
    assert submitted.status_code == 200, submitted.content
    article = submitted.json()
    assert article["state"] == "in_review"
    run = article["runs"][0]
    assert [s["stage"] for s in run["steps"]] == ["first", "final"]

    reviewer = logged_in_client(n.tian_reviewer)
    inbox = reviewer.get(f"{API}/inbox").json()
    assert inbox["count"] == 1 and inbox["items"][0]["article_id"] == article["id"]
    step_id = inbox["items"][0]["id"]
    decided = post(reviewer, f"{API}/steps/{step_id}/decide", decide_body(article, step_id))
    assert decided.status_code == 200, decided.content
    article = decided.json()
    assert article["runs"][0]["decisions"][0]["reviewer"]["name"] == n.tian_reviewer.name

    leader = logged_in_client(n.tian_leader)
    final_id = leader.get(f"{API}/inbox").json()["items"][0]["id"]
    article = post(leader, f"{API}/steps/{final_id}/decide", decide_body(article, final_id)).json()
    assert article["state"] == "approved"
    assert article["runs"][0]["state"] == "approved"

    target_id = article["targets"][0]["id"]
    published = post(
        editor, f"{url}/publish", {"version": article["version"], "target_id": target_id}
    )
    assert published.status_code == 201, published.content
    assert published.json()["state"] == "queued"
    tasks.publish(published.json()["id"])  # what the queued task runs
    done = Publication.objects.get(pk=published.json()["id"])
    assert done.state == PublicationState.PUBLISHED, done.error
    listed = editor.get(f"{API}/publications?article_id={article['id']}").json()
    assert listed["count"] == 1 and listed["items"][0]["state"] == "published"
    assert editor.get(url).json()["state"] == "published"


def test_list_filters(world, newsroom):
    n = newsroom
    write(n, title="冬季供暖热线")
    emergency = write(n, title="防汛应急通知", content_class="emergency")
    submit(n, emergency)
    client = logged_in_client(n.tian_unit_admin)
    assert client.get(f"{API}/articles").json()["count"] == 2
    by_state = client.get(f"{API}/articles?state=in_review").json()
    assert [a["id"] for a in by_state["items"]] == [emergency.pk]
    by_class = client.get(f"{API}/articles?content_class=emergency").json()
    assert [a["id"] for a in by_class["items"]] == [emergency.pk]
    assert client.get(f"{API}/articles?q=防汛").json()["count"] == 1
    assert client.get(f"{API}/articles?org_id={n.tian.pk}").json()["count"] == 2
    assert client.get(f"{API}/articles?org_id={n.chen.pk}").json()["count"] == 0


def test_another_townships_article_is_404(world, newsroom):
    n = newsroom
    chen_article = write(n, actor=n.chen_editor, org_id=n.chen.pk, targets=[n.chen_wechat])
    submit(n, chen_article, actor=n.chen_editor)
    step = active_step(chen_article)
    for user in (n.tian_editor, n.tian_reviewer, n.tian_unit_admin):
        client = logged_in_client(user)
        assert client.get(f"{API}/articles/{chen_article.pk}").status_code == 404
        assert client.get(f"{API}/articles").json()["count"] == 0
        response = post(
            client,
            f"{API}/steps/{step.pk}/decide",
            {"version": 1, "decision": "approve", "revision_hash": "x"},
        )
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    assert logged_in_client(n.tian_unit_admin).get(f"{API}/flows").json()["count"] == 1
    assert logged_in_client(n.chen_unit_admin).get(f"{API}/articles").json()["count"] == 1


def test_self_approval_is_refused(world, newsroom):
    """The unit administrator writes and, as a reviewer of the flow, may not approve it."""
    n = newsroom
    admin = logged_in_client(n.tian_unit_admin)
    flow = admin.get(f"{API}/flows").json()["items"][0]
    steps = [
        {k: s[k] for k in ("stage", "mode", "limit_value", "limit_unit")}
        | {"reviewer_user_ids": [n.tian_unit_admin.pk, n.tian_reviewer.pk]}
        for s in flow["steps"]
    ]
    updated = admin.patch(
        f"{API}/flows/{flow['id']}",
        data={"version": flow["version"], "steps": steps},
        content_type="application/json",
    )
    assert updated.status_code == 200, updated.content
    article = write(n, actor=n.tian_unit_admin)
    submit(n, article, actor=n.tian_unit_admin)
    step = active_step(article)
    # The author was left out of the run's reviewers: the step is not theirs to decide.
    detail = admin.get(f"{API}/articles/{article.pk}").json()
    response = post(admin, f"{API}/steps/{step.pk}/decide", decide_body(detail, step.pk))
    assert response.status_code in (403, 409), response.content
    body = response.json()
    assert body["code"] in ("forbidden", "conflict") and body["message"]
    assert fresh(article).state == ArticleState.IN_REVIEW


def test_stale_version_is_409(world, newsroom):
    n = newsroom
    article = write(n)
    client = logged_in_client(n.tian_editor)
    stale = article.version
    revised = post(
        client,
        f"{API}/articles/{article.pk}/revisions",
        {"version": stale, "title": TITLE, "body_html": BODY + "<p>补充</p>"},
    )
    assert revised.status_code == 201
    response = post(client, f"{API}/articles/{article.pk}/submit", {"version": stale})
    assert response.status_code == 409
    assert response.json()["code"] == "conflict" and "已被他人修改" in response.json()["message"]


def test_unapproved_revision_is_not_published(world, newsroom):
    n = newsroom
    client = logged_in_client(n.tian_editor)
    article = write(n)
    submit(n, article)
    target_id = fresh(article).targets.get().pk
    response = post(
        client,
        f"{API}/articles/{article.pk}/publish",
        {"version": fresh(article).version, "target_id": target_id},
    )
    assert response.status_code == 409
    assert "不能发布" in response.json()["message"]
    # Approved, then edited: the new text is not approved and does not go out.
    approve_all(n, article)
    revised = post(
        client,
        f"{API}/articles/{article.pk}/revisions",
        {"version": fresh(article).version, "title": TITLE, "body_html": BODY + "<p>改</p>"},
    )
    assert revised.status_code == 201
    response = post(
        client,
        f"{API}/articles/{article.pk}/publish",
        {"version": fresh(article).version, "target_id": target_id},
    )
    assert response.status_code == 409
    assert not Publication.objects.filter(article=article).exists()


def test_withdraw_delete_grants_and_scheduled_cancel(world, newsroom):
    n = newsroom
    editor = logged_in_client(n.tian_editor)
    article = write(n)
    submit(n, article)
    withdrawn = post(
        editor, f"{API}/articles/{article.pk}/withdraw", {"version": fresh(article).version}
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["state"] == "draft"
    deleted = editor.delete(f"{API}/articles/{article.pk}?version={fresh(article).version}")
    assert deleted.status_code == 200, deleted.content
    assert editor.get(f"{API}/articles/{article.pk}").status_code == 404

    admin = logged_in_client(n.tian_unit_admin)
    grants = admin.get(f"{API}/grants?account_id={n.wechat.pk}").json()
    assert grants["count"] == 1 and grants["items"][0]["valid_today"] in (True, False)
    created = post(
        admin,
        f"{API}/grants",
        {
            "account_id": n.weibo.pk,
            "user_id": n.tian_reviewer.pk,
            "valid_from": "2026-11-01",
            "valid_until": GRANT_UNTIL.isoformat(),
        },
    )
    assert created.status_code == 201, created.content
    grant = created.json()
    revoked = post(
        admin, f"{API}/grants/{grant['id']}/revoke", {"version": grant["version"], "reason": "调岗"}
    )
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    # An editor may not keep the list of publishers.
    refused = post(
        editor,
        f"{API}/grants",
        {
            "account_id": n.weibo.pk,
            "user_id": n.tian_editor.pk,
            "valid_from": "2026-11-01",
            "valid_until": GRANT_UNTIL.isoformat(),
        },
    )
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"


@pytest.mark.parametrize("field", ["deactivate"])
def test_flow_create_and_deactivate(world, newsroom, field):
    n = newsroom
    admin = logged_in_client(n.tian_unit_admin)
    created = post(
        admin,
        f"{API}/flows",
        {
            "org_id": n.tian.pk,
            "name": "天中突发事件审核",
            "content_class": "emergency",
            "steps": [
                {
                    "stage": "final",
                    "limit_value": 2,
                    "limit_unit": "hours",
                    "reviewer_user_ids": [n.tian_leader.pk],
                }
            ],
        },
    )
    assert created.status_code == 201, created.content
    flow = created.json()
    assert flow["steps"][0]["reviewer_user_ids"] == [n.tian_leader.pk]
    off = post(admin, f"{API}/flows/{flow['id']}/{field}", {"version": flow["version"]})
    assert off.status_code == 200 and off.json()["is_active"] is False
    nobody = post(
        admin,
        f"{API}/flows",
        {
            "org_id": n.tian.pk,
            "name": "无人审核",
            "content_class": "repost",
            "steps": [{"stage": "first", "limit_value": 1, "reviewer_user_ids": []}],
        },
    )
    assert nobody.status_code == 400
    assert nobody.json()["message"] and nobody.json()["code"]
