"""Fake 微信公众平台: /cgi-bin/token, freepublish/batchget, freepublish/getarticle and
datacube/getarticletotal, in the shapes of docs/platforms/wechat.md; publishing (uploads, drafts,
freepublish/submit and /get) is in wechat_publishing.py, comments (comment/list,
comment/reply/add) in wechat_comments.py.

Tokens live 7,200 s by the server's clock; fetching a new one leaves the previous one valid for
five more minutes, as WeChat documents.
"""

import hashlib
import html
import re
import secrets
import threading
from datetime import date, datetime, timedelta

from ..times import CHINA
from .server import FakeApp, Request, Response
from .state import FakeState
from .wechat_comments import WeChatComments
from .wechat_publishing import WeChatPublishing

TOKEN_LIFETIME = 7200
OVERLAP = 300
TAG = re.compile(r"<[^>]+>")


def new_article_id(handle: str, moment: datetime, serial: int) -> str:
    digest = hashlib.sha256(f"wechat-article:{handle}:{serial}".encode()).digest()
    return "Ar" + digest[:18].hex()


class WeChatApp(WeChatComments, WeChatPublishing, FakeApp):
    platform = "wechat"

    def __init__(self, clock):
        super().__init__(FakeState("wechat", new_post_id=new_article_id, clock=clock), clock)
        self._tokens: dict[str, tuple[str, float]] = {}  # token → (handle, expires_at)
        self._current: dict[str, str] = {}  # handle → its newest token
        self._token_lock = threading.Lock()
        self.tokens_issued = 0
        self.routes.update(
            {
                ("GET", "/cgi-bin/token"): self.token,
                ("POST", "/cgi-bin/freepublish/batchget"): self.batchget,
                ("POST", "/cgi-bin/freepublish/getarticle"): self.getarticle,
                ("POST", "/datacube/getarticletotal"): self.getarticletotal,
            }
        )
        self._init_publishing()
        self._init_comments()

    # -- errors ---------------------------------------------------------------------------

    @staticmethod
    def error(code: int, message: str) -> Response:
        # Real answers append a request id to errmsg.
        return Response({"errcode": code, "errmsg": f"{message} rid: {secrets.token_hex(8)}"})

    def platform_error(self, kind: str, request: Request) -> Response:
        if request.path == "/cgi-bin/token" and kind in ("bad_credentials", "expired_token"):
            return self.error(40125, "invalid appsecret")
        return {
            "expired_token": lambda: self.error(42001, "access_token expired"),
            "rate_limit": lambda: self.error(45009, "reach max api daily quota limit"),
            "bad_credentials": lambda: self.error(
                40001, "invalid credential, access_token is invalid or not latest"
            ),
            "busy": lambda: self.error(-1, "system error"),
        }[kind]()

    # -- token ----------------------------------------------------------------------------

    def token(self, request: Request) -> Response:
        query = request.query
        if query.get("grant_type") != "client_credential":
            return self.error(40002, "invalid grant_type")
        account = self.state.account_by("app_id", query.get("appid"))
        if account is None:
            return self.error(40013, "invalid appid")
        if query.get("secret") != account.credentials.get("app_secret"):
            return self.error(40125, "invalid appsecret")
        now = self.clock()
        token = secrets.token_urlsafe(96)[:128]
        with self._token_lock:
            previous = self._current.get(account.handle)
            if previous in self._tokens:
                handle, expires_at = self._tokens[previous]
                self._tokens[previous] = (handle, min(expires_at, now + OVERLAP))
            self._tokens[token] = (account.handle, now + TOKEN_LIFETIME)
            self._current[account.handle] = token
            self.tokens_issued += 1
        return Response({"access_token": token, "expires_in": TOKEN_LIFETIME})

    def _caller(self, request: Request):
        """The account the access_token belongs to, or the error WeChat would answer."""
        token = request.query.get("access_token")
        if not token:
            return None, self.error(41001, "access_token missing")
        with self._token_lock:
            held = self._tokens.get(token)
        if held is None:
            return None, self.error(
                40001, "invalid credential, access_token is invalid or not latest"
            )
        handle, expires_at = held
        if self.clock() >= expires_at:
            return None, self.error(42001, "access_token expired")
        return self.state.account(handle), None

    # -- freepublish ----------------------------------------------------------------------

    def batchget(self, request: Request) -> Response:
        account, refusal = self._caller(request)
        if refusal:
            return refusal
        body = request.json()
        if not isinstance(body, dict):
            return self.error(47001, "data format error")
        offset, count = body.get("offset"), body.get("count")
        no_content = body.get("no_content", 0)
        if not _int(offset) or not _int(count) or offset < 0 or not 1 <= count <= 20:
            return self.error(40097, "invalid args")
        self.settle_publications()
        posts = self.state.timeline(account.handle)
        page = posts[offset : offset + count]
        return Response(
            {
                "item": [self._item(account, post, bool(no_content)) for post in page],
                "total_count": len(posts),
                "item_count": len(page),
            }
        )

    def getarticle(self, request: Request) -> Response:
        account, refusal = self._caller(request)
        if refusal:
            return refusal
        body = request.json()
        article_id = body.get("article_id") if isinstance(body, dict) else None
        self.settle_publications()
        post = self.state.post(str(article_id)) if article_id else None
        if post is None or post.handle != account.handle:
            return self.error(53600, "Article ID 无效")
        return Response({"news_item": [self._news(account, post, with_content=True)]})

    def _item(self, account, post, no_content: bool) -> dict:
        # Exactly the documented item: article_id, content.news_item and the item's update_time
        # (no content.create_time/update_time, which the real API does not send).
        return {
            "article_id": post.post_id,
            "content": {"news_item": [self._news(account, post, with_content=not no_content)]},
            "update_time": post.timestamp,
        }

    def _news(self, account, post, *, with_content: bool) -> dict:
        body = _as_html(post.text)
        drafted = self.drafted(post.post_id) or {}  # published through draft/add + submit
        news = {
            "title": post.title,
            "author": drafted.get("author") or account.name,
            # When no digest is given WeChat takes the body's first 54 characters.
            "digest": drafted.get("digest") or TAG.sub("", body)[:54],
            "content_source_url": drafted.get("content_source_url", ""),
            "thumb_media_id": drafted.get("thumb_media_id", "thumb_" + post.post_id),
            "thumb_url": f"http://mmbiz.qpic.cn/mmbiz_jpg/fake{post.serial}/0?wx_fmt=jpeg",
            "need_open_comment": drafted.get("need_open_comment", 0),
            "only_fans_can_comment": drafted.get("only_fans_can_comment", 0),
            "url": self.article_url(post),
            "is_deleted": post.deleted,
        }
        if with_content:
            news["content"] = body
        return news

    @staticmethod
    def article_url(post) -> str:
        return post.url or f"http://mp.weixin.qq.com/s?__biz=fake&mid={post.serial}&idx=1"

    # -- datacube -------------------------------------------------------------------------

    def getarticletotal(self, request: Request) -> Response:
        account, refusal = self._caller(request)
        if refusal:
            return refusal
        body = request.json() if isinstance(request.json(), dict) else {}
        try:
            begin = date.fromisoformat(str(body.get("begin_date")))
            end = date.fromisoformat(str(body.get("end_date")))
        except ValueError:
            return self.error(61500, "date format error")
        if end < begin or (end - begin).days >= 1:
            return self.error(61501, "date range error")
        yesterday = datetime.fromtimestamp(self.clock(), CHINA).date() - timedelta(days=1)
        if end > yesterday:
            return Response({"list": []})  # no figures before the day is over
        rows = []
        for post in self.state.timeline(account.handle):
            sent = post.published_at.astimezone(CHINA).date()
            if sent == begin:
                rows.append(self._totals(post, sent, yesterday))
        return Response({"list": rows})

    @staticmethod
    def _totals(post, sent: date, yesterday: date) -> dict:
        days = min(7, (yesterday - sent).days + 1)  # WeChat counts at most seven days
        details = []
        for index in range(days):
            share = (index + 1) / days  # cumulative figures grow to the post's totals
            details.append(
                {
                    "stat_date": (sent + timedelta(days=index)).isoformat(),
                    "target_user": 1000,
                    "int_page_read_user": int(post.reads * share * 0.8),
                    "int_page_read_count": int(post.reads * share),
                    "ori_page_read_user": 0,
                    "ori_page_read_count": 0,
                    "share_user": int(post.shares * share),
                    "share_count": int(post.shares * share),
                    "add_to_fav_user": 0,
                    "add_to_fav_count": 0,
                }
            )
        return {
            "ref_date": sent.isoformat(),
            "msgid": f"{2247480000 + post.serial}_1",
            "title": post.title,
            "user_source": 0,
            "details": details,
        }


def _int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _as_html(text: str) -> str:
    if text.lstrip().startswith("<"):
        return text
    return "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip())
