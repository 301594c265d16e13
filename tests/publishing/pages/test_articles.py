"""稿件 pages: 我的稿件, 新建/编辑 with the editor and the image upload, the article's page with
revisions, the side-by-side diff, runs, publications and the lifecycle's buttons."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from govmedia.publishing import tasks
from govmedia.publishing.models import Article, ArticleState, Publication
from govmedia.publishing.views import shared
from tests.conftest import logged_in_client
from tests.publishing.helpers import (
    BODY,
    TITLE,
    add_picture,
    approved,
    fresh,
    png_bytes,
    revise,
    submit,
    write,
)

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"publishing:{name}", args=args)


def form_data(n, **extra):
    return {
        "org": n.tian.pk,
        "title": TITLE,
        "content_class": "daily",
        "targets": [n.wechat.pk],
        "body": BODY,
        "source_url": "",
    } | extra


# --- 我的稿件 ----------------------------------------------------------------------------------


def test_my_articles_lists_mine_with_state_filter_and_search(newsroom):
    n = newsroom
    mine = write(n, title="供暖热线开通")
    other = write(n, actor=n.tian_unit_admin, title="秋季征兵公告")
    submit(n, mine)
    client = logged_in_client(n.tian_editor)
    page = client.get(url("articles")).content.decode()
    assert "我的稿件" in page and "供暖热线开通" in page and "秋季征兵公告" not in page
    assert "审核中" in page and "依据：通知第四部分（二）" in page
    page = client.get(url("articles"), {"scope": "all"}).content.decode()
    assert "秋季征兵公告" in page
    assert "供暖热线开通" not in client.get(url("articles"), {"state": "draft"}).content.decode()
    page = client.get(url("articles"), {"scope": "all", "q": "征兵"}).content.decode()
    assert "秋季征兵公告" in page and "供暖热线开通" not in page
    assert other.pk


def test_empty_list_invites_to_write(newsroom):
    page = logged_in_client(newsroom.tian_editor).get(url("articles")).content.decode()
    assert "暂无稿件" in page and url("article_new") in page


def test_navigation_leads_to_the_articles(newsroom):
    page = logged_in_client(newsroom.tian_editor).get("/").content.decode()
    assert url("articles") in page


def test_another_township_sees_none_of_it(newsroom):
    n = newsroom
    article = write(n)
    client = logged_in_client(n.chen_editor)
    assert "天中街道冬季供暖" not in client.get(url("articles") + "?scope=all").content.decode()
    for name in ("article", "article_edit"):
        assert client.get(url(name, article.pk)).status_code == 404
    assert client.post(url("article_act", article.pk), {"action": "delete"}).status_code == 404
    answer = client.post(
        url("image_upload", article.pk), {"image": SimpleUploadedFile("a.png", png_bytes())}
    )
    assert answer.status_code == 404
    assert fresh(article).deleted_at is None


# --- 新建 / 编辑 -------------------------------------------------------------------------------


def test_new_article_page_has_the_editor(newsroom):
    page = logged_in_client(newsroom.tian_editor).get(url("article_new")).content.decode()
    assert "data-article-editor" in page and "article-editor.js" in page
    assert "天中发布" in page and "陈集发布" not in page  # the unit's accounts only


def test_create_through_the_page(newsroom):
    n = newsroom
    client = logged_in_client(n.tian_editor)
    answer = client.post(url("article_new"), form_data(n))
    article = Article.objects.get()
    assert answer.status_code == 302 and answer["Location"] == url("article", article.pk)
    assert article.author == n.tian_editor and article.state == ArticleState.DRAFT
    assert list(article.targets.values_list("account_id", flat=True)) == [n.wechat.pk]


def test_service_errors_are_shown_on_the_field_in_chinese(newsroom):
    n = newsroom
    client = logged_in_client(n.tian_editor)
    answer = client.post(url("article_new"), form_data(n, body="<p> </p>"))
    assert answer.status_code == 400 and "请填写正文" in answer.content.decode()
    assert answer.context["form"].errors["body"] == ["请填写正文"]
    answer = client.post(url("article_new"), form_data(n, targets=[n.chen_wechat.pk]))
    assert answer.status_code == 400
    assert Article.objects.count() == 0


def test_script_is_stored_sanitised(newsroom):
    n = newsroom
    client = logged_in_client(n.tian_editor)
    body = '<p onclick="steal()">通知<script>alert(1)</script></p>'
    client.post(url("article_new"), form_data(n, body=body))
    html = Article.objects.get().current_revision.body_html
    assert "script" not in html and "onclick" not in html and "通知" in html


def test_edit_makes_a_new_revision_and_a_stale_form_is_refused(newsroom):
    n = newsroom
    article = write(n)
    client = logged_in_client(n.tian_editor)
    page = client.get(url("article_edit", article.pk))
    assert page.status_code == 200 and "data-upload-url" in page.content.decode()
    version = fresh(article).version
    data = form_data(n, body=BODY + "<p>咨询电话：0530-2219000。</p>", version=version)
    assert client.post(url("article_edit", article.pk), data).status_code == 302
    assert fresh(article).current_revision.number == 2
    again = client.post(url("article_edit", article.pk), data | {"title": "再改一次"})
    assert again.status_code == 409 or again.status_code == 400
    assert "刷新" in again.content.decode() or "修改" in again.content.decode()
    assert fresh(article).current_revision.number == 2


def test_block_findings_are_explained_inline(newsroom, monkeypatch):
    n = newsroom
    article = write(n)
    finding = {
        "key": "body:0:2:天中",
        "where": "body",
        "category": "sensitive",
        "category_label": "敏感词",
        "rule": "天中",
        "severity": "block",
        "matched": "天中",
        "suggestion": "",
        "basis": "",
        "start": 0,
        "end": 2,
    }
    # Revisions are immutable: the page's read of the findings is given a block finding.
    monkeypatch.setattr(
        "govmedia.publishing.views.articles.screened",
        lambda title, text, stored: shared.screened(title, text, [finding]),
    )
    page = logged_in_client(n.tian_editor).get(url("article", article.pk)).content.decode()
    assert "不得提交" in page and 'class="finding sev-block"' in page


# --- images ----------------------------------------------------------------------------------


def test_upload_answers_the_editor_contract_and_serves_the_image(newsroom):
    n = newsroom
    article = write(n)
    client = logged_in_client(n.tian_editor)
    answer = client.post(
        url("image_upload", article.pk), {"image": SimpleUploadedFile("map.png", png_bytes())}
    )
    assert answer.status_code == 200
    image_url = answer.json()["url"]
    assert image_url.startswith("/media/publishing/")
    served = client.get(image_url)
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == png_bytes()
    assert logged_in_client(n.chen_editor).get(image_url).status_code == 404


def test_upload_refuses_a_non_image(newsroom):
    n = newsroom
    article = write(n)
    answer = logged_in_client(n.tian_editor).post(
        url("image_upload", article.pk),
        {"image": SimpleUploadedFile("x.png", b"<script>alert(1)</script>")},
    )
    assert answer.status_code == 400
    body = answer.json()
    assert body["field"] == "image" and body["code"] and "图片" in body["message"]


def test_upload_refuses_a_too_large_file(newsroom):
    n = newsroom
    article = write(n)
    big = png_bytes() + b"\0" * (2 * 1024 * 1024 + 1)
    answer = logged_in_client(n.tian_editor).post(
        url("image_upload", article.pk), {"image": SimpleUploadedFile("big.png", big)}
    )
    assert answer.status_code == 400
    assert answer.json()["field"] == "image" and "2 MB" in answer.json()["message"]


def test_upload_without_a_file(newsroom):
    article = write(newsroom)
    answer = logged_in_client(newsroom.tian_editor).post(url("image_upload", article.pk))
    assert answer.status_code == 400 and answer.json()["message"] == "请选择要上传的图片"


# --- the article's page ----------------------------------------------------------------------


def test_detail_shows_revisions_and_a_character_diff(newsroom):
    n = newsroom
    article = write(n)
    revise(n, article, body="<p>天中街道冬季供暖服务热线于11月25日开通。</p>")
    client = logged_in_client(n.tian_editor)
    page = client.get(url("article", article.pk), {"from": 1, "to": 2}).content.decode()
    assert "第1版" in page and "第2版" in page
    assert '<del class="diff-del">4</del>' in page and '<ins class="diff-ins">5</ins>' in page
    assert client.get(url("article", article.pk), {"from": "x", "to": 99}).status_code == 200


def test_detail_offers_the_lifecycle_buttons(newsroom):
    n = newsroom
    article = write(n)
    client = logged_in_client(n.tian_editor)
    page = client.get(url("article", article.pk)).content.decode()
    assert 'value="submit"' in page and 'value="delete"' in page and 'value="withdraw"' not in page
    as_reviewer = logged_in_client(n.tian_reviewer).get(url("article", article.pk))
    assert 'value="submit"' not in as_reviewer.content.decode()


def test_submit_withdraw_delete_through_the_page_once(newsroom):
    n = newsroom
    article = write(n)
    client = logged_in_client(n.tian_editor)
    version = fresh(article).version
    answer = client.post(url("article_act", article.pk), {"action": "submit", "version": version})
    assert answer.status_code == 302 and fresh(article).state == ArticleState.IN_REVIEW
    again = client.post(
        url("article_act", article.pk), {"action": "submit", "version": version}, follow=True
    )
    assert "已被他人修改" in again.content.decode() or "刷新" in again.content.decode()
    client.post(url("article_act", article.pk), {"action": "withdraw", "version": version + 1})
    assert fresh(article).state == ArticleState.DRAFT
    client.post(
        url("article_act", article.pk), {"action": "delete", "version": fresh(article).version}
    )
    assert fresh(article).deleted_at is not None
    assert client.get(url("article", article.pk)).status_code == 404


def test_detail_names_each_reviewer(newsroom):
    n = newsroom
    article = approved(n)
    page = logged_in_client(n.tian_editor).get(url("article", article.pk)).content.decode()
    assert n.tian_reviewer.name in page and n.tian_leader.name in page
    assert "✓政治关" in page and "已通过" in page


def test_publish_to_wechat_through_the_page(newsroom, on_fakes):
    n = newsroom
    article = approved(n)
    target = fresh(article).targets.get(account=n.wechat)
    client = logged_in_client(n.tian_editor)
    page = client.get(url("article", article.pk)).content.decode()
    assert "发布到天中发布" in page
    answer = client.post(
        url("article_publish", article.pk),
        {"target": target.pk, "version": fresh(article).version},
    )
    assert answer.status_code == 302
    publication = Publication.objects.get()
    assert publication.state == "queued"
    tasks.publish(publication.pk)  # what the queued django-q task runs, then WeChat's poll
    tasks.poll_publication(publication.pk)
    publication = fresh(publication)
    assert publication.state == "published" and publication.url
    page = client.get(url("article", article.pk)).content.decode()
    assert escape(publication.url) in page and "已发布" in page
    # The same request again (a double submit) is refused: one publication only.
    again = client.post(
        url("article_publish", article.pk),
        {"target": target.pk, "version": fresh(article).version},
        follow=True,
    )
    assert "已发布或正在发布" in again.content.decode()
    assert Publication.objects.count() == 1


def test_publish_refused_for_someone_without_a_grant(newsroom):
    n = newsroom
    article = approved(n)
    target = fresh(article).targets.get(account=n.wechat)
    answer = logged_in_client(n.tian_unit_admin).post(
        url("article_publish", article.pk),
        {"target": target.pk, "version": fresh(article).version},
        follow=True,
    )
    assert "授权发布人" in answer.content.decode() and Publication.objects.count() == 0


def test_manual_publication_of_a_douyin_target(newsroom):
    n = newsroom
    article = approved(n, targets=[n.douyin], picture=False)
    target = fresh(article).targets.get(account=n.douyin)
    client = logged_in_client(n.tian_editor)
    assert "登记发布" in client.get(url("article", article.pk)).content.decode()
    from django.utils import timezone

    at = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    answer = client.post(
        url("article_manual", article.pk),
        {
            "target": target.pk,
            "version": fresh(article).version,
            "url": "https://www.douyin.com/video/7300000000000000001",
            "published_at": at,
        },
        follow=True,
    )
    assert "已登记发布记录" in answer.content.decode()
    assert Publication.objects.get().manual


def test_image_in_the_body_is_shown_on_the_page(newsroom):
    n = newsroom
    article = write(n)
    image = add_picture(n, article)
    page = logged_in_client(n.tian_editor).get(url("article", article.pk)).content.decode()
    assert image.file.url in page


def test_schedule_then_cancel_through_the_page(newsroom):
    n = newsroom
    from datetime import timedelta

    from django.utils import timezone

    article = approved(n)
    target = fresh(article).targets.get(account=n.wechat)
    client = logged_in_client(n.tian_editor)
    at = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    answer = client.post(
        url("article_publish", article.pk),
        {"target": target.pk, "version": fresh(article).version, "at": at},
        follow=True,
    )
    assert "已定时于" in answer.content.decode()
    publication = Publication.objects.get()
    assert publication.state == "scheduled"
    assert "取消发布" in answer.content.decode()
    client.post(
        url("publication_cancel", article.pk, publication.pk), {"version": publication.version}
    )
    assert fresh(publication).state == "cancelled"
