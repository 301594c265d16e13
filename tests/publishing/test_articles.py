"""Articles and their revisions: sanitised, immutable, hashed, screened; images checked by
their bytes; the limits refused in Chinese naming the field."""

import pytest

from govmedia.audit.models import AuditEvent
from govmedia.core.errors import Conflict, Forbidden, NotFound, ServiceError
from govmedia.publishing import services
from govmedia.publishing.models import (
    Article,
    ImmutableRecord,
    Revision,
    RevisionImage,
)
from govmedia.publishing.richtext import MAX_HTML_CHARS
from tests.publishing.helpers import (
    BODY,
    TITLE,
    Upload,
    add_picture,
    fresh,
    png_bytes,
    revise,
    write,
)

pytestmark = pytest.mark.django_db


def test_an_article_starts_as_a_draft_with_its_first_revision(newsroom):
    article = write(newsroom)
    revision = article.current_revision
    assert article.state == "draft" and article.author == newsroom.tian_editor
    assert (revision.number, revision.title, revision.author) == (1, TITLE, newsroom.tian_editor)
    assert revision.body_text.startswith("天中街道冬季供暖服务热线")
    assert revision.content_hash == services.content_hash(
        TITLE, revision.body_html, revision.source_url
    )
    assert list(article.targets.values_list("account", flat=True)) == [newsroom.wechat.pk]
    assert revision.targets == [
        {"id": newsroom.wechat.pk, "name": "天中发布", "platform": "wechat-mp"}
    ]
    assert AuditEvent.objects.filter(action="article.create", object_id=str(article.pk)).exists()


def test_html_with_script_and_event_attributes_is_stored_sanitised(newsroom):
    dirty = (
        '<p onclick="steal()">热线开通<script>alert(1)</script></p>'
        '<img src="x" onerror="alert(2)"><a href="javascript:alert(3)">详情</a>'
    )
    revision = write(newsroom, body=dirty).current_revision
    html = revision.body_html.lower()
    for bad in ("script", "onclick", "onerror", "javascript:", "alert"):
        assert bad not in html, bad
    assert "热线开通" in revision.body_text


def test_a_five_megabyte_body_is_refused_in_chinese_naming_the_field(newsroom):
    huge = "<p>" + "政" * (5 * 1024 * 1024) + "</p>"
    with pytest.raises(ServiceError) as error:
        write(newsroom, body=huge)
    assert error.value.field == "body"
    assert f"正文不得超过 {MAX_HTML_CHARS} 字符" in error.value.message
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("title", "message"), [("", "请填写标题"), ("长" * 65, "标题不得超过 64 个字")]
)
def test_the_title_is_required_and_at_most_64_characters(newsroom, title, message):
    with pytest.raises(ServiceError) as error:
        write(newsroom, title=title)
    assert error.value.field == "title" and message in error.value.message


def test_an_empty_body_is_refused(newsroom):
    with pytest.raises(ServiceError, match="请填写正文"):
        write(newsroom, body="<p><script>x</script></p>")


def test_an_edit_is_a_new_revision_and_the_old_one_is_kept(newsroom):
    article = write(newsroom)
    first = article.current_revision
    revise(newsroom, article, title="天中街道供暖热线开通")
    article = fresh(article)
    second = article.current_revision
    assert (first.number, second.number) == (1, 2)
    assert first.content_hash != second.content_hash
    assert fresh(first).title == TITLE and article.title == "天中街道供暖热线开通"
    assert Revision.objects.filter(article=article).count() == 2


def test_an_edit_that_changes_nothing_is_refused(newsroom):
    article = write(newsroom)
    with pytest.raises(ServiceError, match="没有任何修改"):
        revise(newsroom, article, body=fresh(article).current_revision.body_html)


def test_a_stale_version_is_refused(newsroom):
    article = write(newsroom)
    revise(newsroom, article)
    with pytest.raises(Conflict, match="已被他人修改"):
        services.article_revise(
            actor=newsroom.tian_editor,
            article_id=article.pk,
            version=article.version,  # the version before the first edit
            title=TITLE,
            body_html=BODY,
        )


def test_revisions_are_never_updated_or_deleted(newsroom):
    revision = write(newsroom).current_revision
    revision.title = "改过的标题"
    with pytest.raises(ImmutableRecord):
        revision.save()
    with pytest.raises(ImmutableRecord):
        revision.delete()
    with pytest.raises(ImmutableRecord):
        Revision.objects.filter(pk=revision.pk).update(title="改过的标题")
    with pytest.raises(ImmutableRecord):
        Revision.objects.filter(pk=revision.pk).delete()
    assert fresh(revision).title == TITLE


def test_the_hash_is_over_a_canonical_form():
    composed, decomposed = "供暖热线（é）", "供暖热线（e\u0301）"
    assert services.content_hash(composed, "<p>x</p>") == services.content_hash(
        decomposed, "<p>x</p>"
    )
    assert services.content_hash("a", "<p>x</p>") != services.content_hash("a", "<p>y</p>")


def test_targets_must_be_running_accounts_of_the_unit(newsroom):
    with pytest.raises(ServiceError) as error:
        write(newsroom, targets=[newsroom.chen_wechat])
    assert error.value.field == "targets"


def test_an_editor_cannot_write_for_another_township(newsroom):
    with pytest.raises(Forbidden):
        write(newsroom, org_id=newsroom.chen.pk, targets=[])


def test_a_reviewer_cannot_write(newsroom):
    with pytest.raises(Forbidden):
        write(newsroom, actor=newsroom.tian_reviewer)


def test_an_image_is_stored_once_under_the_article_and_linked_to_the_revision(newsroom):
    article = write(newsroom)
    image = add_picture(newsroom, article)
    assert image.file.name == f"publishing/{article.pk}/{image.sha256}.png"
    assert (image.content_type, image.width, image.height) == ("image/png", 40, 30)
    again = services.article_image_add(
        actor=newsroom.tian_editor, article_id=article.pk, upload=Upload(png_bytes(), "again.png")
    )
    assert again.pk == image.pk and RevisionImage.objects.count() == 1
    revision = fresh(article).current_revision
    assert list(revision.images.all()) == [image] and revision.cover == image
    assert image.file.url in revision.body_html


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"#!/bin/sh\necho pwned\n", "photo.jpg", "不是 JPG、PNG 或 GIF 图片"),
        (b"%PDF-1.7\n" + b"x" * 100, "scan.png", "不是 JPG、PNG 或 GIF 图片"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "broken.png", "已损坏或不是有效的图片"),
        (b"", "empty.png", "为空文件"),
    ],
)
def test_an_image_that_is_not_an_image_is_refused(newsroom, data, name, message):
    article = write(newsroom)
    with pytest.raises(ServiceError) as error:
        services.article_image_add(
            actor=newsroom.tian_editor, article_id=article.pk, upload=Upload(data, name)
        )
    assert error.value.field == "image" and message in error.value.message
    assert not RevisionImage.objects.exists()


def test_an_image_over_two_megabytes_is_refused(newsroom):
    article = write(newsroom)
    big = png_bytes() + b"\x00" * (2 * 1024 * 1024)
    with pytest.raises(ServiceError, match="超过 2 MB"):
        services.article_image_add(
            actor=newsroom.tian_editor, article_id=article.pk, upload=Upload(big, "big.png")
        )


def test_the_body_may_show_only_this_articles_images(newsroom):
    other = write(newsroom)
    image = add_picture(newsroom, other)
    article = write(newsroom)
    with pytest.raises(ServiceError, match="不是本稿件上传的图片"):
        revise(newsroom, article, body=BODY + f'<p><img src="{image.file.url}"></p>')


def test_a_deleted_article_is_gone_for_everyone(newsroom):
    article = write(newsroom)
    services.article_delete(actor=newsroom.tian_editor, article_id=article.pk, version=1)
    assert fresh(article).deleted_at is not None
    with pytest.raises(NotFound):
        revise(newsroom, article)


def test_screening_findings_are_stored_with_the_lexicon_version(newsroom):
    from govmedia.screening.services import lexicon_term_create

    lexicon_term_create(
        actor=newsroom.alice, term="服务热线", category="typo", severity="warn", suggestion="核实"
    )
    revision = write(newsroom).current_revision
    found = {(f["where"], f["matched"], f["severity"]) for f in revision.findings}
    assert found == {("title", "服务热线", "warn"), ("body", "服务热线", "warn")}
    assert revision.lexicon_version > 0
    title = next(f for f in revision.findings if f["where"] == "title")
    assert TITLE[title["start"] : title["end"]] == "服务热线"
    assert title["key"] == f"title:{title['start']}:{title['end']}:服务热线"
