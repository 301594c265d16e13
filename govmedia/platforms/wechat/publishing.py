"""微信公众号 publishing, mixed into WeChatClient: the cover as a permanent image material
(material/add_material), the body's images (media/uploadimg), a draft (draft/add), its
publication (freepublish/submit) and the publication's state (freepublish/get).
Shapes and codes: docs/platforms/wechat.md, "Publishing".

Publishing is asynchronous on WeChat: `publish` answers a PublishTicket (the publish_id) once the
publication is submitted, and `publish_status` says whether it is still going, published (with
the article_id that `list_posts` reports) or failed.

Retries. Uploads and draft/add are retried like reads (a repeat leaves at most an unused image
or draft behind, never a second public article). freepublish/submit is sent with
`transport.once`: after a timeout, a 5xx or a garbled answer the article may already be going
out, and a second submit of another draft would publish it twice, so the caller gets
OutcomeUnknown and decides after looking at the account. A refused token (40001/40014/42001) is a
refusal, so the submit is repeated once with a fresh token as every call is.
"""

import html as htmllib
import posixpath
import re

from ..base import AccountRef, ContentRejected, Publication, PublishResult, PublishTicket
from ..httpjson import ShapeError, field, guarded, optional
from ..images import image_mime

ADD_MATERIAL = "/cgi-bin/material/add_material"
UPLOAD_IMAGE = "/cgi-bin/media/uploadimg"
DRAFT_ADD = "/cgi-bin/draft/add"
SUBMIT = "/cgi-bin/freepublish/submit"
PUBLISH_STATE = "/cgi-bin/freepublish/get"

# Hosts of the images WeChat itself serves: an article body may show only these (others are
# filtered out of the published article).
WECHAT_IMAGE_HOSTS = ("mmbiz.qpic.cn", "mmbiz.qlogo.cn")


def _upload_refusals(field_name: str, limits: str) -> dict[int, tuple[str, str]]:
    return {
        40004: (field_name, "图片的素材类型不合法"),
        40005: (field_name, f"图片格式不受支持（{limits}）"),
        40006: (field_name, f"图片文件大小不合法（{limits}）"),
        40009: (field_name, f"图片超过大小限制（{limits}）"),
        40137: (field_name, f"图片格式不受支持（{limits}）"),
        41005: (field_name, "图片文件为空"),
        44001: (field_name, "图片文件为空"),
        45001: (field_name, f"图片超过大小限制（{limits}）"),
    }


COVER_REFUSALS = _upload_refusals("cover", "封面支持 BMP、PNG、JPEG、GIF，不超过 10MB")
BODY_IMAGE_REFUSALS = _upload_refusals("images", "正文图片仅支持 JPG、PNG，须小于 1MB")
DRAFT_REFUSALS = {
    40007: ("cover", "封面图片缺失或无效：图文消息必须有永久素材封面（thumb_media_id）"),
    40227: ("title", "标题不能为空"),
    44003: ("html", "文章内容为空"),
    45002: ("html", "正文超过限制：须少于 2 万字符且小于 1MB"),
    45003: ("title", "标题超过限制：不超过 32 个字"),
    45004: ("digest", "摘要超过限制：不超过 128 个字"),
    45005: ("source_url", "原文链接超过限制：不超过 1KB"),
    45110: ("author", "作者超过限制：不超过 16 个字"),
    45166: ("html", "正文内容不合法（含微信不接受的内容或格式）"),
}
SUBMIT_REFUSALS = {
    40007: (None, "草稿不存在或已经发布（media_id 无效）"),
    48021: (None, "自动保存的草稿不能发布，请先在公众平台手动保存"),
    53503: (None, "该草稿未通过微信的发布检查"),
    53504: (None, "该草稿须在公众平台官网发表"),
    53505: (None, "请先在公众平台官网手动保存该草稿再发表"),
}

FAILED = {
    2: "原创声明未通过，文章未发布",
    3: "微信发布失败（常规失败，微信未说明原因，请在公众平台查看）",
    4: "微信平台审核不通过，文章未发布",
    5: "文章发布成功后已被全部删除",
    6: "文章发布成功后已被微信系统封禁",
}

# An <img>'s src attribute (not data-src), quoted as HTML sanitisers write it.
_IMG_SRC = re.compile(r"(<img\b[^>]*?\ssrc\s*=\s*)([\"'])(.*?)\2", re.IGNORECASE | re.DOTALL)


class WeChatPublishing:
    """Mixed into WeChatClient, whose `_api` and `transport` it uses."""

    @guarded
    def upload_cover(self, account: AccountRef, image: bytes, name: str = "cover.jpg") -> str:
        """The cover as a permanent image material; answers its media_id (thumb_media_id)."""
        return self._api(
            account,
            ADD_MATERIAL,
            None,
            params={"type": "image"},
            files={"media": (name, image, image_mime(image))},
            parse=_material_id,
            refusals=COVER_REFUSALS,
        )

    @guarded
    def upload_body_image(self, account: AccountRef, image: bytes, name: str = "image.jpg") -> str:
        """An image for the article body; answers the mmbiz URL the body may reference."""
        return self._api(
            account,
            UPLOAD_IMAGE,
            None,
            files={"media": (name, image, image_mime(image))},
            parse=_image_url,
            refusals=BODY_IMAGE_REFUSALS,
        )

    @guarded
    def publish(self, account: AccountRef, publication: Publication) -> PublishTicket:
        """Upload the cover and the body's images, save a draft and submit it for publication.

        Every `<img src>` of the body must be one of `publication.images` (uploaded, its src
        rewritten to the URL WeChat gives) or already an image WeChat serves: WeChat silently
        drops any other image, so the publication is refused here before anything is sent."""
        sources = list(dict.fromkeys(_image_sources(publication.html)))
        missing = [
            src for src in sources if src not in publication.images and not _served_by_wechat(src)
        ]
        if missing:
            raise ContentRejected(
                "正文引用的图片未随稿件提供（微信会过滤外部图片）：" + "、".join(missing),
                code="missing_images",
                field="images",
            )
        thumb = None
        if publication.cover is not None:
            thumb = self.upload_cover(account, publication.cover, publication.cover_name)
        urls = {
            src: self.upload_body_image(account, publication.images[src], _file_name(src))
            for src in sources
            if src in publication.images
        }
        article = {
            "title": publication.title,
            "author": publication.author,
            "digest": publication.digest,
            "content": _rewrite_sources(publication.html, urls),
            "content_source_url": publication.source_url,
            "need_open_comment": int(publication.open_comment),
            "only_fans_can_comment": 0,
        }
        if thumb is not None:
            article["thumb_media_id"] = thumb  # WeChat refuses a news article without (40007)
        media_id = self._api(
            account, DRAFT_ADD, {"articles": [article]}, parse=_draft_id, refusals=DRAFT_REFUSALS
        )
        publish_id = self._api(
            account,
            SUBMIT,
            {"media_id": media_id},
            parse=_publish_id,
            refusals=SUBMIT_REFUSALS,
            publishes=True,
        )
        return PublishTicket(publish_id)

    @guarded
    def publish_status(self, account: AccountRef, ticket: PublishTicket) -> PublishResult:
        # A read: retried like the other reads.
        return self._api(
            account, PUBLISH_STATE, {"publish_id": ticket.ticket}, parse=_publish_result
        )


# -- answers ---------------------------------------------------------------------------------


def _material_id(body) -> str:
    media_id = field(body, "media_id", str)
    optional(body, "url", str)
    return media_id


def _image_url(body) -> str:
    return field(body, "url", str)


def _draft_id(body) -> str:
    return field(body, "media_id", str)


def _publish_id(body) -> str:
    # The docs write publish_id as a string ("100000001"); real answers quoted in the community
    # carry a number (2247483655). Either is kept as the ticket's text.
    return str(field(body, "publish_id", (str, int)))


def _publish_result(body) -> PublishResult:
    status = field(body, "publish_status", int)
    fail_idx = optional(body, "fail_idx", list) or []
    if status == 1:
        return PublishResult("publishing", message="微信正在发布，请稍后再查询", code=1)
    if status == 0:
        article_id = field(body, "article_id", str)
        detail = optional(body, "article_detail", dict) or {}
        items = optional(detail, "item", list) or []
        url = ""
        if items:
            url = field(items[0], "article_url", str, where="文章详情")
        return PublishResult("published", post_id=article_id, url=url, code=0)
    if status in FAILED:
        message = FAILED[status]
        if fail_idx:
            message += "（第 " + "、".join(str(i) for i in fail_idx) + " 篇）"
        post_id = optional(body, "article_id", str, "") or ""
        return PublishResult("failed", post_id=post_id, message=message, code=status)
    # Earlier versions of the docs listed more states; an unknown one is asked again later.
    raise ShapeError(f"无法识别的发布状态 publish_status={status}")


# -- the body --------------------------------------------------------------------------------


def _image_sources(html: str) -> list[str]:
    return [htmllib.unescape(match.group(3)) for match in _IMG_SRC.finditer(html or "")]


def _rewrite_sources(html: str, urls: dict[str, str]) -> str:
    def swap(match: re.Match) -> str:
        source = htmllib.unescape(match.group(3))
        if source not in urls:
            return match.group(0)
        quote = match.group(2)
        return match.group(1) + quote + htmllib.escape(urls[source], quote=True) + quote

    return _IMG_SRC.sub(swap, html or "")


def _served_by_wechat(src: str) -> bool:
    host = re.sub(r"^https?://", "", src, flags=re.IGNORECASE).split("/", 1)[0].lower()
    return any(host == known or host.endswith("." + known) for known in WECHAT_IMAGE_HOSTS)


def _file_name(src: str) -> str:
    name = posixpath.basename(src.split("?", 1)[0]) or "image"
    return name if "." in name else name + ".jpg"
