"""微信公众号: published articles (freepublish), their reading figures (datacube), publishing
(publishing.py) and the access-token life cycle. Shapes and codes: docs/platforms/wechat.md.

Credentials: app_id, app_secret. The token from /cgi-bin/token lives `expires_in` (7,200) s; it is
cached, fetched anew REFRESH_MARGIN s before it runs out, and when an API still answers 40001,
40014 or 42001 it is fetched anew and the call repeated once.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime

from ..base import (
    AccountRef,
    BadCredentials,
    ContentRejected,
    NotFound,
    PlatformError,
    PlatformUnavailable,
    Post,
    PostPage,
    Profile,
    RateLimited,
    TokenExpired,
)
from ..client_base import PlatformClientBase
from ..httpjson import (
    Retryable,
    decode_number_cursor,
    encode_cursor,
    field,
    guarded,
    optional,
    parameter_refused,
)
from ..times import CHINA, from_unix_seconds, seconds_to_midnight
from .comments import NO_ARTICLE, NO_COMMENT, WeChatComments
from .publishing import WeChatPublishing
from .tokens import CachedToken, MemoryTokenStore, TokenStore

API_BASE = "https://api.weixin.qq.com"
PAGE_SIZE = 20  # batchget accepts 1..20
REFRESH_MARGIN = 300  # s; WeChat keeps the old token valid five minutes after a new one is issued
SCAN_PAGES = 10  # how far get_post looks through the list for an article's time (200 items)

TOKEN_REFUSED = {40001, 40014, 42001}
# Parameters WeChat refuses: 40002 a grant_type other than client_credential (token), 40097
# invalid args, 47001 data format error (the global code table).
PARAMETER_REFUSED = {
    40002: "获取 access_token 的 grant_type",
    40097: "本平台发送的请求参数（分页 offset 从 0 起、count 1–20），这不是账号凭据的问题",
    47001: "请求体的 JSON 格式",
}
BUSY = {-1}
NO_FIGURES = {61500, 61501, 48001}  # datacube: date out of range / not allowed for this account
BAD_CREDENTIAL_MESSAGES = {
    40001: "微信公众号 AppSecret 错误，请核对账号凭据",
    40013: "微信公众号 AppID 无效，请核对账号凭据",
    40125: "微信公众号 AppSecret 无效，请核对账号凭据",
    40164: "本平台服务器的 IP 不在该公众号的 IP 白名单中",
    48001: "该公众号没有此接口的权限",
    50002: "该公众号受限（可能被冻结或注销）",
    53500: "该公众号的发布功能已被微信封禁，请登录公众平台查看",
    88000: "该公众号没有留言功能的权限",
}


class _TokenRefused(PlatformError):
    """Internal: the API refused the token; the client fetches a new one and asks once more."""


class WeChatClient(WeChatComments, WeChatPublishing, PlatformClientBase):
    platform = "wechat-mp"
    label = "微信"
    api_base = API_BASE
    default_page_size = PAGE_SIZE
    max_page_size = PAGE_SIZE
    can_publish = True

    def __init__(
        self, base_url: str = API_BASE, *, token_store: TokenStore | None = None, **options
    ):
        super().__init__(base_url, **options)
        self.tokens = token_store or MemoryTokenStore()
        self._published: OrderedDict[str, int] = OrderedDict()  # article_id → update_time
        self._fetching: dict[str, threading.Lock] = {}  # one token fetch per AppID at a time
        self._fetching_lock = threading.Lock()
        self._published_lock = threading.Lock()

    # -- the interface --------------------------------------------------------------------

    @guarded
    def list_posts(self, account: AccountRef, cursor: str | None = None) -> PostPage:
        offset = decode_number_cursor(cursor, "offset") if cursor else 0
        body = self._api(
            account,
            "/cgi-bin/freepublish/batchget",
            {"offset": offset, "count": self.page_size, "no_content": 0},
            parse=_batch,
        )
        total, items = body
        posts = []
        for item in items:
            created = self._remember(item)
            for index, news in enumerate(item["news"]):
                if news.get("is_deleted") is True:
                    continue
                posts.append(_post(item["article_id"], index, news, created))
        following = offset + len(items)
        more = bool(items) and following < total
        return PostPage(posts, encode_cursor("offset", following) if more else None)

    @guarded
    def get_post(
        self, account: AccountRef, post_id: str, *, published_at: datetime | None = None
    ) -> Post:
        article_id, index = _split_post_id(post_id)
        news_items = self._api(
            account,
            "/cgi-bin/freepublish/getarticle",
            {"article_id": article_id},
            parse=_news_items,
        )
        if index >= len(news_items) or news_items[index].get("is_deleted") is True:
            raise NotFound("该文章已在微信公众平台删除", code="deleted")
        news = news_items[index]
        if published_at is not None:
            created = int(published_at.timestamp())
        else:
            created = self._published.get(article_id) or self._find_time(account, article_id)
        post = _post(article_id, index, news, created)
        figures = self._figures(account, from_unix_seconds(created).date(), news["title"])
        if figures is None:
            return post
        reads, shares = figures
        return replace(post, reads=reads, shares=shares)

    @guarded
    def get_profile(self, account: AccountRef) -> Profile:
        # The developer API has no call for an account's own name or verification (only the
        # third-party-platform API does); a token issued for its AppID/AppSecret proves the
        # account exists and the credentials work.
        app_id, secret = _credentials(account)
        self._token(app_id, secret)
        return Profile(
            handle=account.handle,
            display_name="",
            verified=False,
            verification_known=False,
        )

    # -- tokens ---------------------------------------------------------------------------

    def _token(self, app_id: str, secret: str, *, refused: str | None = None) -> str:
        if refused is not None:
            self.tokens.forget(app_id, refused)
        cached = self.tokens.get(app_id)
        if cached is not None and self.clock() < cached.expires_at - REFRESH_MARGIN:
            return cached.token
        with self._fetching_lock:
            lock = self._fetching.setdefault(app_id, threading.Lock())
        with lock:
            # Threads that waited here find the token the first one fetched: each fetch
            # shortens the life of the previous token, so fetch once, not once per thread.
            cached = self.tokens.get(app_id)
            if cached is not None and self.clock() < cached.expires_at - REFRESH_MARGIN:
                return cached.token
            return self._fetch_token(app_id, secret)

    def _fetch_token(self, app_id: str, secret: str) -> str:
        def attempt() -> CachedToken:
            answer = self.transport.get(
                "/cgi-bin/token",
                params={"grant_type": "client_credential", "appid": app_id, "secret": secret},
            )
            _raise_for_token_error(answer.body, clock=self.clock)
            token = field(answer.body, "access_token", str)
            expires_in = field(answer.body, "expires_in", int)
            return CachedToken(token, self.clock() + expires_in)

        fresh = self.transport.retrying(attempt)
        self.tokens.put(app_id, fresh)
        return fresh.token

    def _api(
        self,
        account: AccountRef,
        path: str,
        payload: dict | None,
        *,
        parse,
        datacube: bool = False,
        files: dict | None = None,
        params: dict | None = None,
        refusals: Mapping[int, tuple[str | None, str]] | None = None,
        publishes: bool = False,
    ):
        """One API call with the account's token: refreshed and repeated once when WeChat
        refuses the token (the call was refused, so repeating it cannot act twice).

        `files` sends multipart/form-data instead of JSON; `refusals` maps this call's
        content errors to ContentRejected (field, message); `publishes` sends it with
        `transport.once`, never repeated after it may have reached WeChat."""
        app_id, secret = _credentials(account)
        call = _Call(path, payload, parse, datacube, files, params, refusals or {}, publishes)
        token = self._token(app_id, secret)
        try:
            return self._post(call, token)
        except _TokenRefused:
            token = self._token(app_id, secret, refused=token)
            try:
                return self._post(call, token)
            except _TokenRefused as exc:
                raise TokenExpired(
                    "微信 access_token 重新获取后仍被拒绝，请稍后再试", code=exc.code
                ) from exc

    def _post(self, call: "_Call", token: str):
        def attempt():
            answer = self.transport.post(
                call.path,
                params={"access_token": token, **(call.params or {})},
                json_body=call.payload if call.files is None else None,
                files=call.files,
            )
            _raise_for_api_error(
                answer.body, clock=self.clock, datacube=call.datacube, refusals=call.refusals
            )
            return call.parse(answer.body)

        if call.publishes:
            return self.transport.once(attempt)
        return self.transport.retrying(attempt)

    # -- times and figures ----------------------------------------------------------------

    def _remember(self, item: dict) -> int:
        with self._published_lock:  # bounded: the oldest remembered times are dropped first
            self._published[item["article_id"]] = item["created"]
            self._published.move_to_end(item["article_id"])
            while len(self._published) > 50_000:
                self._published.popitem(last=False)
        return item["created"]

    def _find_time(self, account: AccountRef, article_id: str) -> int:
        # getarticle carries no time: look the article up in the (newest-first) list.
        for page in range(SCAN_PAGES):
            total, items = self._api(
                account,
                "/cgi-bin/freepublish/batchget",
                {"offset": page * PAGE_SIZE, "count": PAGE_SIZE, "no_content": 1},
                parse=_batch_without_content,
            )
            for item in items:
                self._remember(item)
            if article_id in self._published:
                return self._published[article_id]
            if (page + 1) * PAGE_SIZE >= total or not items:
                break
        raise PlatformUnavailable(
            f"未能在最近 {SCAN_PAGES * PAGE_SIZE} 条发布记录中找到该文章的发布时间",
            code="time_unknown",
        )

    def _figures(self, account: AccountRef, day: date, title: str) -> tuple[int, int] | None:
        """Reads and shares up to yesterday, from datacube/getarticletotal for the day the article
        went out; None when WeChat has no figures (today's article, not a 群发, too old)."""
        today = datetime.fromtimestamp(self.clock(), CHINA).date()
        if day >= today:
            return None  # datacube's end_date is at most yesterday
        try:
            rows = self._api(
                account,
                "/datacube/getarticletotal",
                {"begin_date": day.isoformat(), "end_date": day.isoformat()},
                parse=_article_totals,
                datacube=True,
            )
        except _NoFigures:
            return None
        matching = [row for row in rows if row["title"] == title and row["details"]]
        if not matching:
            return None
        latest = max(matching[0]["details"], key=lambda d: d["stat_date"])
        return latest["int_page_read_count"], latest["share_count"]


# -- answers ---------------------------------------------------------------------------------


def _raise_for_token_error(body, *, clock) -> None:
    code = body.get("errcode", 0) if isinstance(body, dict) else 0
    if not code:
        return
    message = str(body.get("errmsg", ""))
    if code in BUSY:
        raise Retryable(f"微信系统繁忙（{message}）", code=code)
    if code in BAD_CREDENTIAL_MESSAGES:
        raise BadCredentials(BAD_CREDENTIAL_MESSAGES[code], code=code)
    _raise_common(code, message, clock=clock)


def _raise_for_api_error(body, *, clock, datacube: bool = False, refusals=None) -> None:
    code = body.get("errcode", 0) if isinstance(body, dict) else 0
    if not code:
        return
    message = str(body.get("errmsg", ""))
    if code in TOKEN_REFUSED:
        raise _TokenRefused(f"微信 access_token 已失效（{message}）", code=code)
    if code in BUSY:
        raise Retryable(f"微信系统繁忙（{message}）", code=code)
    if refusals and code in refusals:
        field_name, text = refusals[code]
        raise ContentRejected(f"{text}（微信错误码 {code}）", code=code, field=field_name)
    if code == 53600:
        raise NotFound("微信公众平台找不到这篇文章（article_id 无效）", code=code)
    if code == NO_ARTICLE:
        raise NotFound("微信公众平台找不到这篇图文的留言（msg_data_id 无效）", code=code)
    if code == NO_COMMENT:
        raise NotFound("微信公众平台找不到这条留言（可能已被删除）", code=code)
    if code == 53502:
        raise NotFound("微信公众平台找不到这个发布任务（publish_id 无效）", code=code)
    if datacube and code in NO_FIGURES:
        raise _NoFigures(message, code=code)
    if code in BAD_CREDENTIAL_MESSAGES:
        raise BadCredentials(BAD_CREDENTIAL_MESSAGES[code], code=code)
    _raise_common(code, message, clock=clock)


def _raise_common(code: int, message: str, *, clock) -> None:
    if code in PARAMETER_REFUSED:
        raise parameter_refused("微信", code, message, check=PARAMETER_REFUSED[code])
    if code == 45009:
        raise RateLimited(
            "微信接口今日调用次数已达上限", code=code, retry_after=seconds_to_midnight(clock())
        )
    if code == 45011:
        raise RateLimited("微信接口调用过于频繁，请一分钟后再试", code=code, retry_after=60.0)
    if code == 53501:
        raise RateLimited("向微信提交发布过于频繁，请一分钟后再试", code=code, retry_after=60.0)
    raise PlatformUnavailable(f"微信接口返回错误 {code}：{message}", code=code)


class _NoFigures(PlatformError):
    """Internal: datacube has no figures for this day or account."""


@dataclass(frozen=True)
class _Call:
    path: str
    payload: dict | None
    parse: Callable
    datacube: bool
    files: dict | None
    params: dict | None
    refusals: Mapping[int, tuple[str | None, str]]
    publishes: bool


def _batch(body, *, content_required: bool = True) -> tuple[int, list[dict]]:
    total = field(body, "total_count", int)
    field(body, "item_count", int)
    items = []
    for raw in field(body, "item", list):
        article_id = field(raw, "article_id", str, where="发布记录")
        if content_required or "content" in raw:
            content = field(raw, "content", dict, where="发布记录")
        else:
            content = {}  # no_content=1 may leave the whole content object out
        news = field(content, "news_item", list, where="发布记录") if content else []
        # The item's update_time is the only time batchget documents (no content.create_time):
        # the moment the publication was last updated, which for an article published and not
        # edited afterwards is its publication time.
        created = field(raw, "update_time", int, where="发布记录")
        from_unix_seconds(created)  # a time we cannot read is a broken answer: ask again
        for entry in news:
            field(entry, "title", str, where="图文")
            optional(entry, "url", str)
            optional(entry, "is_deleted", bool)
        items.append({"article_id": article_id, "news": news, "created": created})
    return total, items


def _batch_without_content(body) -> tuple[int, list[dict]]:
    return _batch(body, content_required=False)


def _news_items(body) -> list[dict]:
    news = field(body, "news_item", list)
    for entry in news:
        field(entry, "title", str, where="图文")
    return news


def _article_totals(body) -> list[dict]:
    rows = field(body, "list", list)
    for row in rows:
        field(row, "title", str, where="群发数据")
        for detail in field(row, "details", list, where="群发数据"):
            field(detail, "stat_date", str, where="群发数据")
            field(detail, "int_page_read_count", int, where="群发数据")
            field(detail, "share_count", int, where="群发数据")
    return rows


def _post(article_id: str, index: int, news: dict, created: int) -> Post:
    content = news.get("content")
    return Post(
        post_id=article_id if index == 0 else f"{article_id}#{index + 1}",
        published_at=from_unix_seconds(created),
        title=news["title"],
        text=content if isinstance(content, str) else str(news.get("digest") or ""),
        url=str(news.get("url") or ""),
        is_html=isinstance(content, str),
    )


def _split_post_id(post_id: str) -> tuple[str, int]:
    # A multi-article publication has one article_id; its second and later articles are
    # "<article_id>#2", "#3" … (the first keeps the bare id).
    article_id, _, position = post_id.partition("#")
    if not article_id or (position and not position.isdigit()) or position in ("0", "1"):
        raise NotFound(f"不是本平台生成的微信文章编号：{post_id!r}", code="bad_post_id")
    return article_id, int(position) - 1 if position else 0


def _credentials(account: AccountRef) -> tuple[str, str]:
    app_id, secret = account.credentials.get("app_id"), account.credentials.get("app_secret")
    if not app_id or not secret:
        raise BadCredentials("缺少微信公众号的 AppID 或 AppSecret", code="missing_credentials")
    return app_id, secret
