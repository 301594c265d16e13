"""Publishing on the fake 微信公众平台, mixed into WeChatApp: material/add_material (images),
media/uploadimg, draft/add, freepublish/submit and freepublish/get, in the shapes and with the
limits and error codes of docs/platforms/wechat.md ("Publishing").

A submitted draft is "发布中" (publish_status 1) for `publish_delay` seconds of the app's clock,
then published (0): from then on the article is in freepublish/batchget and getarticle like any
seeded one, published at submit time + delay. `fail_next_publish(status)` makes the next
submission end in 2 (原创失败), 3 (常规失败) or 4 (审核不通过) instead.
"""

import html
import re
import secrets
import threading
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from itertools import count
from urllib.parse import urlsplit

from ..images import image_kind
from ..times import CHINA
from .server import Request, Response

PUBLISH_DELAY = 3.0  # seconds of the app's clock a publication stays "发布中"
MATERIAL_IMAGE_LIMIT = 10 * 1024 * 1024  # add_material image: 10M, bmp/png/jpeg/jpg/gif
MATERIAL_IMAGE_KINDS = {"jpeg", "png", "gif", "bmp"}
BODY_IMAGE_LIMIT = 1024 * 1024  # uploadimg: jpg/png, "大小必须在1MB以下"
BODY_IMAGE_KINDS = {"jpeg", "png"}
TITLE_MAX, AUTHOR_MAX, DIGEST_MAX = 32, 16, 128  # characters ("字")
CONTENT_CHARS, CONTENT_BYTES = 20_000, 1024 * 1024  # content "必须少于2万字符，小于1M"
SOURCE_URL_BYTES = 1024
WECHAT_IMAGE_HOSTS = ("mmbiz.qpic.cn", "mmbiz.qlogo.cn")

_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_SRC = re.compile(r"\ssrc\s*=\s*([\"'])(.*?)\1", re.IGNORECASE | re.DOTALL)
_SCRIPT = re.compile(r"<script\b.*?</script\s*>", re.IGNORECASE | re.DOTALL)


@dataclass
class Job:
    publish_id: str
    handle: str
    article: dict
    submitted_at: float
    outcome: int = 0
    post_id: str | None = None  # set once published


@dataclass
class PublishingState:
    materials: dict[str, tuple[str, str]] = field(default_factory=dict)  # id → (handle, url)
    drafts: dict[str, tuple[str, list[dict]]] = field(default_factory=dict)  # id → (handle, …)
    jobs: dict[str, Job] = field(default_factory=dict)
    articles: dict[str, dict] = field(default_factory=dict)  # post_id → the article as drafted
    outcomes: deque = field(default_factory=deque)  # publish_status of the next submissions
    serial: count = field(default_factory=lambda: count(2247483601))
    lock: threading.Lock = field(default_factory=threading.Lock)


class WeChatPublishing:
    """Mixed into WeChatApp, whose `state`, `clock`, `error` and `_caller` it uses."""

    publish_delay = PUBLISH_DELAY

    def _init_publishing(self) -> None:
        self.publishing = PublishingState()
        self.routes.update(
            {
                ("POST", "/cgi-bin/material/add_material"): self.add_material,
                ("POST", "/cgi-bin/media/uploadimg"): self.uploadimg,
                ("POST", "/cgi-bin/draft/add"): self.draft_add,
                ("POST", "/cgi-bin/freepublish/submit"): self.freepublish_submit,
                ("POST", "/cgi-bin/freepublish/get"): self.freepublish_get,
            }
        )

    def fail_next_publish(self, status: int) -> None:
        """The next submission ends in this publish_status (2 原创失败, 3 常规失败, 4 审核不通过)."""
        if status not in (2, 3, 4):
            raise ValueError("a failed publication ends in publish_status 2, 3 or 4")
        self.publishing.outcomes.append(status)

    # -- uploads --------------------------------------------------------------------------

    def add_material(self, request: Request) -> Response:
        account, refusal = self._caller(request)
        if refusal:
            return refusal
        if request.query.get("type") != "image":
            # voice, video and thumb are real types too; the fake keeps images only.
            return self.error(40004, "invalid media type")
        media = request.files().get("media")
        if media is None or not media.data:
            return self.error(41005, "media data missing")
        kind = image_kind(media.data)
        if kind not in MATERIAL_IMAGE_KINDS:
            return self.error(40005, "invalid file type")
        if len(media.data) > MATERIAL_IMAGE_LIMIT:
            return self.error(40009, "invalid image size")
        media_id = secrets.token_urlsafe(48)[:64]
        url = f"http://mmbiz.qpic.cn/mmbiz_{_ext(kind)}/{secrets.token_hex(24)}/0?wx_fmt={kind}"
        with self.publishing.lock:
            self.publishing.materials[media_id] = (account.handle, url)
        return Response({"media_id": media_id, "url": url})

    def uploadimg(self, request: Request) -> Response:
        _, refusal = self._caller(request)
        if refusal:
            return refusal
        media = request.files().get("media")
        if media is None or not media.data:
            return self.error(41005, "media data missing")
        kind = image_kind(media.data)
        if kind not in BODY_IMAGE_KINDS:
            return self.error(40005, "invalid file type")
        if len(media.data) >= BODY_IMAGE_LIMIT:
            return self.error(40009, "invalid image size")
        url = f"http://mmbiz.qpic.cn/mmbiz_{_ext(kind)}/{secrets.token_hex(24)}/0"
        return Response({"url": url, "errcode": 0, "errmsg": "ok"})

    # -- drafts and publication -----------------------------------------------------------

    def draft_add(self, request: Request) -> Response:
        account, refusal = self._caller(request)
        if refusal:
            return refusal
        body = request.json()
        if not isinstance(body, dict):
            return self.error(47001, "data format error")
        articles = body.get("articles")
        if not isinstance(articles, list) or not articles:
            return self.error(44003, "empty news data")
        kept = []
        for article in articles:
            if not isinstance(article, dict):
                return self.error(47001, "data format error")
            refused = self._refuse_article(account.handle, article)
            if refused:
                return refused
            kept.append({**article, "content": _filtered(article["content"])})
        media_id = secrets.token_urlsafe(48)[:64]
        with self.publishing.lock:
            self.publishing.drafts[media_id] = (account.handle, kept)
        return Response({"media_id": media_id})

    def _refuse_article(self, handle: str, article: dict) -> Response | None:
        title = article.get("title")
        if not isinstance(title, str) or not title.strip():
            return self.error(40227, "empty title")
        if len(title) > TITLE_MAX:
            return self.error(45003, "title size out of limit")
        if len(str(article.get("author") or "")) > AUTHOR_MAX:
            return self.error(45110, "author size out of limit")
        if len(str(article.get("digest") or "")) > DIGEST_MAX:
            return self.error(45004, "description size out of limit")
        content = article.get("content")
        if not isinstance(content, str) or not content.strip():
            return self.error(44003, "empty news data")
        if len(content) >= CONTENT_CHARS or len(content.encode("utf-8")) >= CONTENT_BYTES:
            return self.error(45002, "content size out of limit")
        if len(str(article.get("content_source_url") or "").encode("utf-8")) > SOURCE_URL_BYTES:
            return self.error(45005, "url size out of limit")
        thumb = article.get("thumb_media_id")
        with self.publishing.lock:
            material = self.publishing.materials.get(thumb) if isinstance(thumb, str) else None
        if material is None or material[0] != handle:
            return self.error(40007, "invalid media_id")
        return None

    def freepublish_submit(self, request: Request) -> Response:
        account, refusal = self._caller(request)
        if refusal:
            return refusal
        body = request.json()
        media_id = body.get("media_id") if isinstance(body, dict) else None
        with self.publishing.lock:
            draft = self.publishing.drafts.get(media_id) if isinstance(media_id, str) else None
            if draft is None or draft[0] != account.handle:
                return self.error(40007, "invalid media_id")
            # A draft leaves the 草稿箱 once it is published: submitting it again is refused.
            del self.publishing.drafts[media_id]
            publish_id = str(next(self.publishing.serial))
            outcome = self.publishing.outcomes.popleft() if self.publishing.outcomes else 0
            self.publishing.jobs[publish_id] = Job(
                publish_id, account.handle, draft[1][0], self.clock(), outcome
            )
        return Response(
            {
                "errcode": 0,
                "errmsg": "ok",
                "publish_id": publish_id,
                "msg_data_id": str(int(publish_id) * 10 + 1),
            }
        )

    def freepublish_get(self, request: Request) -> Response:
        account, refusal = self._caller(request)
        if refusal:
            return refusal
        body = request.json()
        publish_id = body.get("publish_id") if isinstance(body, dict) else None
        job = self.publishing.jobs.get(str(publish_id)) if publish_id is not None else None
        if job is None or job.handle != account.handle:
            return self.error(53502, "Publish ID 无效")
        self.settle_publications()
        if self.clock() < job.submitted_at + self.publish_delay:
            return Response({"publish_id": job.publish_id, "publish_status": 1, "fail_idx": []})
        if job.outcome:
            # The docs give fail_idx for 2 and 4 only; a real 常规失败 (3) quoted in the
            # developer community carried [1] too.
            return Response(
                {"publish_id": job.publish_id, "publish_status": job.outcome, "fail_idx": [1]}
            )
        post = self.state.post(job.post_id)
        return Response(
            {
                "publish_id": job.publish_id,
                "publish_status": 0,
                "article_id": job.post_id,
                "article_detail": {
                    "count": 1,
                    "item": [{"idx": 1, "article_url": self.article_url(post)}],
                },
                "fail_idx": [],
            }
        )

    def settle_publications(self) -> None:
        """Publish every submission whose delay has passed (called before lists are read)."""
        now = self.clock()
        with self.publishing.lock:
            due = [
                job
                for job in self.publishing.jobs.values()
                if job.post_id is None
                and not job.outcome
                and now >= job.submitted_at + self.publish_delay
            ]
            for job in due:
                moment = datetime.fromtimestamp(job.submitted_at + self.publish_delay, CHINA)
                post = self.state.add_post(
                    job.handle,
                    published_at=moment,
                    title=job.article["title"],
                    text=job.article["content"],
                )
                job.post_id = post.post_id
                self.publishing.articles[post.post_id] = job.article

    def drafted(self, post_id: str) -> dict | None:
        """The article as it was drafted, for a post published through the API."""
        return self.publishing.articles.get(post_id)


def _ext(kind: str) -> str:
    return "jpg" if kind == "jpeg" else kind


def _filtered(content: str) -> str:
    """What WeChat keeps of a body: no scripts, and no image from outside WeChat's own hosts."""

    def keep(match: re.Match) -> str:
        src = _SRC.search(match.group(0))
        host = (urlsplit(html.unescape(src.group(2))).hostname or "") if src else ""
        ours = any(host == h or host.endswith("." + h) for h in WECHAT_IMAGE_HOSTS)
        return match.group(0) if ours else ""

    return _IMG.sub(keep, _SCRIPT.sub("", content))
