"""微博: the account's own timeline, one status with its counts, the user's profile and user
search. Shapes and codes: docs/platforms/weibo.md.

Credentials: access_token (OAuth2, renewed outside this client: an expired one raises
TokenExpired) and uid (else a numeric handle). Paging walks `max_id` down the newest-first
timeline; the opaque cursor is "max_id:<id>".
"""

import random
import time
from collections.abc import Callable
from dataclasses import replace

import httpx

from ..base import (
    AccountRef,
    BadCredentials,
    Credentials,
    NotFound,
    PlatformUnavailable,
    Post,
    PostPage,
    Profile,
    RateLimited,
    TokenExpired,
)
from ..client_base import PlatformClientBase
from ..httpjson import (
    Retry,
    Retryable,
    decode_number_cursor,
    encode_cursor,
    field,
    guarded,
    optional,
)
from ..times import parse_weibo_time

API_BASE = "https://api.weibo.com"
PAGE_SIZE = 50  # user_timeline accepts up to 100

TOKEN_EXPIRED = {21315, 21327}
BAD_TOKEN = {21301, 21314, 21316, 21317, 21332, 10006, 10013, 10014}
RATE_LIMITED = {10022, 10023, 10024}
BUSY = {10001, 10002, 10009, 10010, 10011}
MISSING = {20101: "该微博不存在或已被删除", 20003: "微博用户不存在"}


class WeiboClient(PlatformClientBase):
    platform = "weibo"
    label = "微博"
    max_page_size = 100  # user_timeline's limit

    def __init__(
        self,
        base_url: str = API_BASE,
        *,
        http: httpx.Client | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        rng: Callable[[], float] = random.random,
        timeout: httpx.Timeout | float | None = None,
        retry: Retry | None = None,
        search_credentials: Credentials | None = None,
        page_size: int = PAGE_SIZE,
    ):
        super().__init__(
            base_url,
            http=http,
            clock=clock,
            sleep=sleep,
            rng=rng,
            timeout=timeout,
            retry=retry,
            page_size=page_size,
        )
        # User search needs a token of its own (any authorised account of our application).
        self.search_credentials = search_credentials

    @guarded
    def list_posts(self, account: AccountRef, cursor: str | None = None) -> PostPage:
        token, uid = _credentials(account)
        params = {"access_token": token, "uid": uid, "count": self.page_size}
        if cursor:
            params["max_id"] = decode_number_cursor(cursor, "max_id")
        ids, posts, next_cursor = self._get("/2/statuses/user_timeline.json", params, _timeline)
        more = bool(ids) and (next_cursor != 0 or len(ids) >= self.page_size)
        if not more:
            return PostPage(posts, None)
        return PostPage(posts, encode_cursor("max_id", min(ids) - 1))

    @guarded
    def get_post(self, account: AccountRef, post_id: str, *, published_at=None) -> Post:
        token, _ = _credentials(account)
        if not post_id.isdigit():
            raise NotFound(f"不是微博的微博编号：{post_id!r}", code="bad_post_id")
        return self._get("/2/statuses/show.json", {"access_token": token, "id": post_id}, _shown)

    @guarded
    def get_profile(self, account: AccountRef) -> Profile:
        token, uid = _credentials(account)
        user = self._get("/2/users/show.json", {"access_token": token, "uid": uid}, _user)
        return replace(_profile(user), handle=account.handle)

    @guarded
    def search_accounts(self, keyword: str) -> list[Profile]:
        # Weibo has a real user search, so no sandbox: it needs a token (search_credentials).
        token = self.search_credentials.get("access_token") if self.search_credentials else ""
        if not token:
            return []  # no token to search with: configured off
        found = self._get(
            "/2/search/suggestions/users.json",
            {"access_token": token, "q": keyword, "count": 10},
            _suggestions,
        )
        # The suggestions carry no verification: read each user's profile (at most 10).
        profiles = []
        for uid in found:
            try:
                user = self._get("/2/users/show.json", {"access_token": token, "uid": uid}, _user)
            except NotFound:
                continue
            profiles.append(_profile(user))
        return profiles

    def _get(self, path: str, params: dict, parse):
        def attempt():
            answer = self.transport.get(path, params=params)
            _raise_for_error(answer.body, clock=self.clock)
            return parse(answer.body)

        return self.transport.retrying(attempt)


def _raise_for_error(body, *, clock) -> None:
    if not isinstance(body, dict) or "error_code" not in body:
        return
    raw = body["error_code"]
    code = int(raw) if str(raw).isdigit() else -1  # Weibo sometimes writes the code as a string
    message = str(body.get("error", ""))
    if code in TOKEN_EXPIRED:
        raise TokenExpired("微博授权已过期，请重新授权", code=code)
    if code in BAD_TOKEN:
        raise BadCredentials(f"微博授权无效，请重新授权（{message}）", code=code)
    if code in RATE_LIMITED:
        # Weibo counts calls per hour: wait for the next hour.
        raise RateLimited("微博接口调用次数超过上限", code=code, retry_after=3600 - clock() % 3600)
    if code in MISSING:
        raise NotFound(MISSING[code], code=code)
    if code in BUSY:
        raise Retryable(f"微博系统繁忙（{message}）", code=code)
    raise PlatformUnavailable(f"微博接口返回错误 {code}：{message}", code=code)


def _timeline(body) -> tuple[list[int], list[Post], int]:
    statuses = [_status(status) for status in field(body, "statuses", list)]
    posts = [_post(status) for status in statuses if not _deleted(status)]
    next_cursor = optional(body, "next_cursor", int, 0) or 0
    return [status["id"] for status in statuses], posts, next_cursor


def _shown(body) -> Post:
    status = _status(body)
    if _deleted(status):
        raise NotFound(MISSING[20101], code=20101)
    return _post(status)


def _status(status) -> dict:
    field(status, "id", int, where="微博")
    field(status, "idstr", str, where="微博")
    field(status, "created_at", str, where="微博")
    field(status, "text", str, where="微博")
    for count in ("reposts_count", "comments_count", "attitudes_count"):
        field(status, count, int, where="微博")
    return status


def _user(user) -> dict:
    field(user, "idstr", str, where="微博用户")
    field(user, "screen_name", str, where="微博用户")
    field(user, "verified", bool, where="微博用户")
    return user


def _suggestions(body) -> list[str]:
    if not isinstance(body, list):
        raise Retryable("微博用户搜索的答复不是列表")
    return [str(field(row, "uid", (int, str), where="搜索结果")) for row in body]


def _deleted(status: dict) -> bool:
    return str(status.get("deleted", "0")) == "1"


def _post(status: dict) -> Post:
    return Post(
        post_id=status["idstr"],
        published_at=parse_weibo_time(status["created_at"]),
        text=status["text"],
        url=f"https://m.weibo.cn/status/{status['idstr']}",
        likes=status["attitudes_count"],
        shares=status["reposts_count"],
        comments=status["comments_count"],
    )


def _profile(user: dict) -> Profile:
    return Profile(
        handle=user["idstr"],
        display_name=user["screen_name"],
        verified=user["verified"],
        verified_reason=str(user.get("verified_reason") or ""),
        avatar_url=str(user.get("profile_image_url") or ""),
    )


def _credentials(account: AccountRef) -> tuple[str, str]:
    token = account.credentials.get("access_token")
    uid = account.credentials.get("uid") or (account.handle if account.handle.isdigit() else "")
    if not token:
        raise BadCredentials("缺少微博 access_token，请先完成授权", code="missing_credentials")
    if not uid:
        raise BadCredentials("缺少微博用户 UID", code="missing_credentials")
    return token, uid
