"""发布申请: 天中街道 asks the district's 政府网 account (定陶发布) to publish an article its own
flow approved. The district office accepts it into the district's review flow (one step, by a
district reviewer); the outcome comes back to 天中: returned with the reviewer's reason, or
published, confirmed by the pulled post the matcher of 先审后发 matches to the district
article, or by the link the district office records."""

import re
from datetime import datetime, timedelta

import pytest
from django.db import transaction

from govmedia.audit.models import AuditEvent
from govmedia.coordination import services
from govmedia.coordination.models import PublishedVia, PublishRequest, RequestState
from govmedia.coordination.todo import request_items
from govmedia.core.errors import Conflict, Forbidden, NotFound, ServiceError
from govmedia.monitoring.events import POSTS_INGESTED
from govmedia.notifications.models import Notification, NotificationKind
from govmedia.publishing.models import ArticleState, ReviewRunStep
from govmedia.registry import services as registry
from tests.conftest import api_token, logged_in_client
from tests.publishing.helpers import CHINA, NOW, active_step, decide, fresh, revise, write
from tests.publishing.unapproved.helpers import FUNDS, LATER, pulled

pytestmark = pytest.mark.django_db
PROPOSED = NOW + timedelta(days=1)


def submit(m, *, actor=None, accounts=None, **kw):
    return services.publish_request_submit(
        actor=actor or m.tian_editor,
        article_id=kw.pop("article_id", m.article.pk),
        account_ids=[a.pk for a in (accounts or [m.district_wechat])],
        proposed_at=kw.pop("proposed_at", PROPOSED),
        note=kw.pop("note", "请于明日上午在政府网账号发布"),
        now=NOW,
        **kw,
    )


def accept(m, request):
    return services.publish_request_accept(
        actor=m.alice, request_id=request.pk, version=fresh(request).version, now=NOW
    )


def outcomes_to(user):
    return Notification.objects.filter(
        recipient_user=user, kind=NotificationKind.PUBLISH_REQUEST_OUTCOME
    )


def test_a_request_reaches_the_district_office_and_enters_the_district_review_flow(site):
    m = site
    request = submit(m)
    assert request.state == RequestState.SUBMITTED and request.org == m.tian
    assert request.revision == m.article.current_revision
    assert list(request.accounts.all()) == [m.district_wechat]
    told = Notification.objects.get(kind=NotificationKind.PUBLISH_REQUESTED)
    assert told.recipient_user == m.alice and "天中街道老旧小区改造开工" in told.message
    request = accept(m, request)
    assert request.state == RequestState.IN_REVIEW
    district_article = fresh(request.district_article)
    # The district office's own article, through the district's flow: the publishing app's run.
    assert district_article.org == m.district and district_article.state == ArticleState.IN_REVIEW
    assert district_article.current_revision.content_hash == request.revision.content_hash
    assert [t.account for t in district_article.targets.all()] == [m.district_wechat]
    step = active_step(district_article)
    assert list(step.reviewers.all()) == [m.district_reviewer]
    assert outcomes_to(m.tian_editor).filter(message__contains="已受理").exists()


def test_published_when_the_pull_brings_the_post_matched_to_the_district_article(
    site, django_capture_on_commit_callbacks
):
    m = site
    request = accept(m, submit(m))
    decide(m.district_reviewer, active_step(request.district_article))
    assert fresh(request).state == RequestState.APPROVED
    post = pulled(m.district_wechat, FUNDS, title="天中街道老旧小区改造开工", published_at=LATER)
    post.url = "https://mp.weixin.qq.com/s/dt-gov-funds"
    post.save(update_fields=["url"])
    # As a pull does: the event inside its transaction, the judgement once it commits
    # (publishing's matcher first, then the request's confirmation).
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        POSTS_INGESTED.publish(post_ids=[post.pk])
    request = fresh(request)
    assert request.state == RequestState.PUBLISHED
    assert request.post == post and request.published_url == post.url
    assert request.published_via == PublishedVia.PULL and request.published_at == LATER
    told = outcomes_to(m.tian_editor).filter(message__contains="已发布").get()
    assert post.url in told.message
    assert AuditEvent.objects.filter(
        action="publish_request.publish", object_id=str(request.pk), actor__isnull=True
    ).exists()


def test_an_unrelated_post_of_the_account_publishes_nothing(site):
    m = site
    request = accept(m, submit(m))
    decide(m.district_reviewer, active_step(request.district_article))
    other = pulled(m.district_wechat, "<p>定陶区今日召开冬季安全生产工作会议，部署重点工作。</p>")
    from govmedia.publishing.unapproved import match_posts

    match_posts([other.pk])
    assert services.requests.confirm_published([other.pk]) == 0
    assert fresh(request).state == RequestState.APPROVED


def test_the_district_office_records_the_link_of_an_approved_request(site):
    m = site
    request = accept(m, submit(m))
    with pytest.raises(Conflict):  # not before the district's review approved it
        services.publish_request_mark_published(
            actor=m.alice,
            request_id=request.pk,
            version=fresh(request).version,
            url="https://a.cn/x",
        )
    decide(m.district_reviewer, active_step(request.district_article))
    with pytest.raises(ServiceError) as bad:
        services.publish_request_mark_published(
            actor=m.alice, request_id=request.pk, version=fresh(request).version, url="政府网"
        )
    assert bad.value.field == "url"
    request = services.publish_request_mark_published(
        actor=m.alice,
        request_id=request.pk,
        version=fresh(request).version,
        url="https://www.dingtao.gov.cn/art/2026/11/25/1.html",
        now=LATER,
    )
    assert request.state == RequestState.PUBLISHED and request.published_via == PublishedVia.MARKED
    assert outcomes_to(m.tian_editor).filter(message__contains="dingtao.gov.cn").exists()


def test_returned_by_the_district_review_with_its_reason_tells_the_unit(site):
    m = site
    request = accept(m, submit(m))
    decide(
        m.district_reviewer,
        active_step(request.district_article),
        "return",
        reason="改造总投资数字请与区住建局核实后再报",
    )
    request = fresh(request)
    assert request.state == RequestState.RETURNED
    assert request.return_reason == "区级审核退回：改造总投资数字请与区住建局核实后再报"
    assert request.returned_by == m.district_reviewer
    told = outcomes_to(m.tian_editor).filter(message__contains="已退回").get()
    assert "与区住建局核实" in told.message
    # The unit's administrator too, once.
    assert outcomes_to(m.tian_unit_admin).filter(message__contains="已退回").count() == 1
    event = AuditEvent.objects.get(action="publish_request.return", object_id=str(request.pk))
    assert event.actor == m.district_reviewer


def test_the_district_office_returns_a_request_with_a_reason(site):
    m = site
    request = submit(m)
    with pytest.raises(ServiceError) as missing:
        services.publish_request_return(
            actor=m.alice, request_id=request.pk, version=request.version, reason="  "
        )
    assert missing.value.field == "reason"
    request = services.publish_request_return(
        actor=m.alice, request_id=request.pk, version=request.version, reason="该信息宜由天中发布"
    )
    assert request.state == RequestState.RETURNED and request.return_reason == "该信息宜由天中发布"
    assert outcomes_to(m.tian_editor).filter(message__contains="该信息宜由天中发布").exists()
    # Returned is final: the unit may ask again, as a new request.
    again = submit(m)
    assert again.pk != request.pk and again.state == RequestState.SUBMITTED


def test_returning_a_request_in_review_withdraws_its_district_article(site):
    m = site
    request = accept(m, submit(m))
    services.publish_request_return(
        actor=m.alice, request_id=request.pk, version=fresh(request).version, reason="暂缓发布"
    )
    assert fresh(request.district_article).is_deleted
    assert not ReviewRunStep.objects.filter(
        run__article=request.district_article, state="active"
    ).exists()


def test_a_double_submit_makes_one_request(site):
    m = site
    first = submit(m)
    second = submit(m, note="再次提交")
    assert second.pk == first.pk
    assert PublishRequest.objects.count() == 1
    assert AuditEvent.objects.filter(action="publish_request.submit").count() == 1
    assert Notification.objects.filter(kind=NotificationKind.PUBLISH_REQUESTED).count() == 1


def test_only_approved_articles_and_only_government_site_accounts(site):
    m = site
    draft = write(m, title="天中街道冬季消防检查", body=FUNDS)
    with pytest.raises(ServiceError) as unapproved:
        submit(m, article_id=draft.pk)
    assert unapproved.value.field == "article_id"
    with pytest.raises(ServiceError) as not_site:
        submit(m, accounts=[m.chen_wechat])
    assert not_site.value.field == "account_ids"
    with pytest.raises(ServiceError) as past:
        submit(m, proposed_at=NOW - timedelta(hours=2))
    assert past.value.field == "proposed_at"
    assert not PublishRequest.objects.exists()


def test_who_may_do_what(site):
    m = site
    # Another township's article is not found; another township's staff never see the request.
    with pytest.raises(NotFound):
        submit(m, actor=m.chen_editor)
    request = submit(m)
    with pytest.raises(NotFound):
        services.publish_request_withdraw(
            actor=m.chen_unit_admin, request_id=request.pk, version=request.version
        )
    # The unit may not accept its own request; the district office may not withdraw it.
    with pytest.raises(Forbidden):
        services.publish_request_accept(
            actor=m.tian_unit_admin, request_id=request.pk, version=request.version
        )
    with pytest.raises(NotFound):  # a reviewer does not request
        services.publish_request_withdraw(
            actor=m.tian_reviewer, request_id=request.pk, version=request.version
        )
    request = services.publish_request_withdraw(
        actor=m.tian_editor, request_id=request.pk, version=request.version
    )
    assert request.state == RequestState.WITHDRAWN
    with pytest.raises(Conflict):  # withdrawn is final
        accept(m, request)


def test_the_unit_sees_its_requests_and_the_district_office_all(site):
    m = site
    request = submit(m)
    assert list(PublishRequest.objects.restrict(m.tian_editor)) == [request]
    assert list(PublishRequest.objects.restrict(m.alice)) == [request]
    assert not PublishRequest.objects.restrict(m.chen_unit_admin).exists()
    chen = logged_in_client(m.chen_unit_admin)
    assert chen.get(f"/coordination/requests/{request.pk}/").status_code == 404
    assert "天中街道老旧小区改造开工" not in chen.get("/coordination/requests/").content.decode()
    token = api_token(m.chen_unit_admin)
    response = chen.get(
        f"/api/v1/coordination/requests/{request.pk}", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 404


def test_to_do_lines(site):
    m = site
    request = submit(m)
    office = request_items(m.alice)
    assert [(i.kind, i.label) for i in office] == [("act", "受理发布申请")]
    unit = request_items(m.tian_editor)
    assert [(i.kind, i.label) for i in unit] == [("watch", "发布申请待受理")]
    accept(m, request)
    assert request_items(m.alice) == []  # the district reviewer has the review in their inbox
    decide(m.district_reviewer, active_step(fresh(request).district_article))
    assert [i.label for i in request_items(m.alice)] == ["政府网账号发布"]
    assert request_items(m.chen_unit_admin) == []


def test_pages_list_create_and_detail_with_timeline(site):
    m = site
    client = logged_in_client(m.tian_editor)
    empty = client.get("/coordination/requests/").content.decode()
    assert "还没有发布申请" in empty
    form = client.get("/coordination/requests/new/").content.decode()
    assert "天中街道老旧小区改造开工" in form and "定陶发布" in form
    response = client.post(
        "/coordination/requests/new/",
        {
            "article": str(m.article.pk),
            "accounts": [str(m.district_wechat.pk)],
            "proposed_at": "2099-01-05T09:00",
            "note": "请政府网账号发布",
        },
    )
    request = PublishRequest.objects.get()
    assert response.status_code == 302 and response.url == f"/coordination/requests/{request.pk}/"
    listed = client.get("/coordination/requests/?state=submitted").content.decode()
    assert "天中街道老旧小区改造开工" in listed and "待受理" in listed
    assert (
        "没有符合筛选条件" in client.get("/coordination/requests/?state=published").content.decode()
    )
    office = logged_in_client(m.alice)
    page = office.get(f"/coordination/requests/{request.pk}/").content.decode()
    assert "受理（提交区级审核）" in page and "提交发布申请" in page  # the button, the timeline
    response = office.post(
        f"/coordination/requests/{request.pk}/return/",
        {"version": request.version, "reason": "请先与区融媒体中心对接"},
    )
    assert fresh(request).state == RequestState.RETURNED
    page = client.get(f"/coordination/requests/{request.pk}/").content.decode()
    assert "请先与区融媒体中心对接" in page and "退回发布申请" in page


def test_an_empty_form_names_the_fields(site):
    client = logged_in_client(site.tian_editor)
    page = client.post("/coordination/requests/new/", {}).content.decode()
    for label in ("申请发布的稿件", "政府网账号", "拟发布时间"):
        assert label in page
    assert not PublishRequest.objects.exists()


def test_the_api_submits_accepts_and_reads(site):
    m = site
    unit = {"Authorization": f"Bearer {api_token(m.tian_editor)}"}
    client = logged_in_client(m.tian_editor)
    response = client.post(
        "/api/v1/coordination/requests",
        data={
            "article_id": m.article.pk,
            "account_ids": [m.district_wechat.pk],
            "proposed_at": "2099-01-05T09:00:00+08:00",
        },
        content_type="application/json",
        headers=unit,
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "submitted" and body["accounts"][0]["name"] == "定陶发布"
    office = {"Authorization": f"Bearer {api_token(m.alice)}"}
    response = client.post(
        f"/api/v1/coordination/requests/{body['id']}/accept",
        data={"version": body["version"]},
        content_type="application/json",
        headers=office,
    )
    assert response.status_code == 200 and response.json()["state"] == "in_review"
    listed = client.get("/api/v1/coordination/requests?state=in_review", headers=unit).json()
    assert [r["id"] for r in listed["items"]] == [body["id"]]


def test_the_registry_flag_is_the_district_offices(site):
    m = site
    with pytest.raises(Forbidden):
        registry.account_set_government_site(
            actor=m.tian_unit_admin, account_id=m.wechat.pk, version=m.wechat.version, value=True
        )
    event = AuditEvent.objects.get(action="account.government_site")
    assert event.after == {"is_government_site": True}
    client = logged_in_client(m.alice)
    page = client.get(f"/registry/accounts/{m.district_wechat.pk}/").content.decode()
    assert "政府网账号" in page and "可接受各单位的发布申请" in page
    listed = client.get("/registry/?government_site=1").content.decode()
    assert "定陶发布" in listed and "天中发布" not in listed
    client.post(
        f"/registry/accounts/{m.wechat.pk}/government-site/",
        {"version": m.wechat.version, "is_government_site": "on"},
    )
    assert fresh(m.wechat).is_government_site
    # A unit administrator is not offered the form, and its post changes nothing.
    tian = logged_in_client(m.tian_unit_admin)
    assert "government-site" not in tian.get(f"/registry/accounts/{m.weibo.pk}/").content.decode()
    tian.post(
        f"/registry/accounts/{m.weibo.pk}/government-site/",
        {"version": m.weibo.version, "is_government_site": "on"},
    )
    assert not fresh(m.weibo).is_government_site


def test_the_district_article_carries_the_pictures_and_cover_as_its_own(site):
    m = site
    from tests.publishing.helpers import approved

    pictured = approved(m, title="天中街道便民服务网点分布", body=FUNDS)
    request = accept(m, submit(m, article_id=pictured.pk))
    district = fresh(request.district_article)
    revision = district.current_revision
    (own,) = district.images.all()
    (theirs,) = pictured.images.all()
    assert own.sha256 == theirs.sha256 and own.pk != theirs.pk
    assert revision.cover_id == own.pk
    assert f'src="{own.file.url}"' in revision.body_html
    assert theirs.file.url not in revision.body_html
    assert district.state == ArticleState.IN_REVIEW


def test_a_returned_request_is_final_and_offers_to_ask_again_filled_in_from_it(site):
    m = site
    ahead = datetime(2099, 1, 5, 9, 0, tzinfo=CHINA)  # still ahead whenever the test runs
    returned = submit(m, proposed_at=ahead, note="开工当天上午发布")
    services.publish_request_return(
        actor=m.alice, request_id=returned.pk, version=returned.version, reason="请补充投资额来源"
    )
    unit = logged_in_client(m.tian_editor)
    page = unit.get(f"/coordination/requests/{returned.pk}/").content.decode()
    renew = f'href="/coordination/requests/new/?from={returned.pk}"'
    assert "不再办理" in page and "请按退回理由修改稿件" in page and renew in page
    # Staff who may not submit (a reviewer of the unit) are told, not offered the button.
    reviewer = logged_in_client(m.tian_reviewer).get(f"/coordination/requests/{returned.pk}/")
    assert "不再办理" in reviewer.content.decode() and renew not in reviewer.content.decode()
    # The form starts from the returned request: article, account, time and note, and its reason.
    form = unit.get(f"/coordination/requests/new/?from={returned.pk}").content.decode()
    assert re.search(rf'<option value="{m.article.pk}" selected>', form)
    assert re.search(rf'value="{m.district_wechat.pk}"[^>]*checked', form)
    assert 'value="2099-01-05T09:00"' in form and "开工当天上午发布</textarea>" in form
    assert "请补充投资额来源" in form
    # Another unit's request is not found.
    chen = logged_in_client(m.chen_editor)
    assert chen.get(f"/coordination/requests/new/?from={returned.pk}").status_code == 404
    response = unit.post(
        f"/coordination/requests/new/?from={returned.pk}",
        {
            "article": str(m.article.pk),
            "accounts": [str(m.district_wechat.pk)],
            "proposed_at": "2099-01-05T09:00",
            "note": "已补充投资额来源",
        },
    )
    again = PublishRequest.objects.exclude(pk=returned.pk).get()
    assert response.url == f"/coordination/requests/{again.pk}/"
    assert again.state == RequestState.SUBMITTED and again.note == "已补充投资额来源"
    # The returned request now points to the new one instead of offering another.
    page = unit.get(f"/coordination/requests/{returned.pk}/").content.decode()
    assert "该稿件已重新申请" in page and f"/coordination/requests/{again.pk}/" in page
    assert renew not in page


def test_asking_again_leaves_a_past_time_out_and_says_when_the_article_is_not_approved(site):
    m = site
    returned = submit(m)  # proposed for 25 November 2026, behind us now
    services.publish_request_withdraw(
        actor=m.tian_editor, request_id=returned.pk, version=returned.version
    )
    unit = logged_in_client(m.tian_editor)
    page = unit.get(f"/coordination/requests/{returned.pk}/").content.decode()
    assert "本申请已撤回" in page and "?from=" in page
    form = unit.get(f"/coordination/requests/new/?from={returned.pk}").content.decode()
    assert 'name="proposed_at"' in form and 'value="2026-11-25' not in form
    assert "审核通过后才能重新申请" not in form
    revise(m, m.article)  # edited after the return: a draft until 天中's flow approves it again
    form = unit.get(f"/coordination/requests/new/?from={returned.pk}").content.decode()
    assert "审核通过后才能重新申请" in form
