"""微博: the account's own timeline, one status with its counts, the user's profile, user
search, and publishing a status (statuses/share). Shapes and codes: docs/platforms/weibo.md.

Credentials: access_token (OAuth2, renewed outside this client: an expired one raises
TokenExpired) and uid (else a numeric handle). Paging walks `max_id` down the newest-first
timeline; the opaque cursor is "max_id:<id>".

Publishing is synchronous: statuses/share answers the new status. It is sent once
(`transport.once`): after a timeout, a 5xx or a garbled answer the status may be out already and
a repeat would post it twice (or be refused as repeated content, 20019), so the caller gets
OutcomeUnknown and the next pull of the timeline tells what happened.
"""

import math
import re
from dataclasses import replace

from ..base import (
    AccountRef,
    BadCredentials,
    Comment,
    CommentPage,
    CommentReplyResult,
    ContentRejected,
    Credentials,
    NotFound,
    PlatformError,
    PlatformUnavailable,
    Post,
    PostPage,
    Profile,
    Publication,
    PublishResult,
    PublishTicket,
    RateLimited,
    TokenExpired,
)
from ..client_base import PlatformClientBase
from ..httpjson import (
    Retryable,
    ShapeError,
    decode_number_cursor,
    encode_cursor,
    field,
    guarded,
    optional,
    parameter_refused,
)
from ..images import image_mime
from ..times import parse_weibo_time

API_BASE = "https://api.weibo.com"
COUNTS = ("reposts_count", "comments_count", "attitudes_count")
PAGE_SIZE = 50  # user_timeline accepts up to 100

TOKEN_EXPIRED = {21315, 21327}
BAD_TOKEN = {21301, 21314, 21316, 21317, 21332, 10006, 10013, 10014}
RATE_LIMITED = {10022, 10023, 10024}
BUSY = {10001, 10002, 10009, 10010, 10011}
# 10008 param error, 10016 miss required parameter (name), 10017 parameter (name)'s value invalid.
PARAMETER_REFUSED = {10008, 10016, 10017}
MISSING = {20101: "该微博不存在或已被删除", 20003: "微博用户不存在"}
SHARE = "/2/statuses/share.json"
STATUS_LIMIT = 140  # 汉字; two half-width characters count as one (see status_length)
# statuses/share's refusals of the content itself → (Publication field, message).
SHARE_REFUSALS = {
    10017: ("source_url", "微博拒绝了参数，分享的微博须包含本应用安全域名下的网页链接"),
    20005: ("cover", "图片格式不受支持，微博仅支持 JPEG、GIF、PNG"),
    20006: ("cover", "图片太大，微博要求小于 5MB"),
    20008: ("text", "微博内容为空"),
    20012: ("text", "微博正文超过 140 个汉字"),
    20013: ("text", "微博正文超过 300 个字"),
    20017: ("text", "与刚发布的微博内容相似，微博拒绝重复发布"),
    20018: ("text", "微博正文包含非法网址"),
    20019: ("text", "与已发布的微博内容相同，微博拒绝重复发布"),
    20020: ("text", "微博正文包含广告信息"),
    20021: ("text", "微博正文包含违法违规内容"),
    20031: (None, "微博要求输入验证码，请在微博网页或客户端手动发布"),
    20111: ("text", "不能发布相同的微博"),
}
# comments/reply's refusals of the reply itself → (field, message).
REPLY_REFUSALS = {
    20008: ("text", "答复内容为空"),
    20017: ("text", "与刚发布的评论内容相似，微博拒绝重复发布"),
    20019: ("text", "与已发布的评论内容相同，微博拒绝重复发布"),
    20021: ("text", "答复内容包含违法违规内容"),
    20031: (None, "微博要求输入验证码，请在微博网页或客户端手动答复"),
}
COMMENTS_TO_ME = "/2/comments/to_me.json"
COMMENT_REPLY = "/2/comments/reply.json"
ACCEPTED_LATE = 20032  # "发布成功，目前服务器可能会有延迟，请耐心等待1-2分钟"
POSTED_TOO_OFTEN = 20016


class WeiboClient(PlatformClientBase):
    platform = "weibo"
    label = "微博"
    api_base = API_BASE
    default_page_size = PAGE_SIZE
    max_page_size = 100  # user_timeline's limit
    can_publish = True
    has_sandbox_search = False  # Weibo has a real user search (search_credentials)

    def __init__(
        self, base_url: str = API_BASE, *, search_credentials: Credentials | None = None, **options
    ):
        super().__init__(base_url, **options)
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

    @guarded
    def publish(self, account: AccountRef, publication: Publication) -> PublishResult:
        """Share `publication.text` (else its title), with `source_url` appended when the text
        does not contain it, and `cover` as the picture. Answers `published` with the new
        status, or `publishing` when Weibo accepted it but answers late (20032)."""
        token, uid = _credentials(account)
        if not publication.user_ip:
            raise ContentRejected(
                "发布到微博须提供操作人的真实 IP（rip）", code="missing_rip", field="user_ip"
            )
        data = {
            "access_token": token,
            "status": share_text(publication),
            "rip": publication.user_ip,
        }
        files = None
        if publication.cover is not None:
            # With a picture the request is multipart/form-data, without it an urlencoded form.
            files = {
                "pic": (publication.cover_name, publication.cover, image_mime(publication.cover))
            }

        def attempt():
            answer = self.transport.post(SHARE, data=data, files=files)
            _raise_for_error(answer.body, clock=self.clock, refusals=SHARE_REFUSALS)
            return _status(answer.body)

        try:
            status = self.transport.once(attempt)
        except _AcceptedLate:
            return PublishResult(
                "publishing",
                message="微博已接受发布但答复延迟，1–2 分钟后采集时可见",
                code=ACCEPTED_LATE,
            )
        return PublishResult(
            "published",
            post_id=status["idstr"],
            url=f"https://weibo.com/{uid}/{status['mid'] or status['idstr']}",
        )

    @guarded
    def publish_status(self, account: AccountRef, ticket: PublishTicket) -> PublishResult:
        """A shared status by its id (statuses/show): published, or failed once deleted."""
        token, uid = _credentials(account)
        if not ticket.ticket.isdigit():
            raise NotFound(f"不是微博的微博编号：{ticket.ticket!r}", code="bad_post_id")
        try:
            status = self._get(
                "/2/statuses/show.json", {"access_token": token, "id": ticket.ticket}, _status
            )
        except NotFound as exc:
            return PublishResult(
                "failed", post_id=ticket.ticket, message=exc.message, code=exc.code
            )
        if _deleted(status):
            return PublishResult(
                "failed", post_id=ticket.ticket, message=MISSING[20101], code=20101
            )
        mid = status["mid"] or status["idstr"]
        return PublishResult(
            "published", post_id=status["idstr"], url=f"https://weibo.com/{uid}/{mid}"
        )

    can_read_comments = True
    can_reply_comments = True
    comments_newest_first = True  # comments/to_me: the whole account's, newest first

    @guarded
    def list_comments(self, account: AccountRef, cursor: str | None = None) -> CommentPage:
        """The comments the account received (comments/to_me), newest first, paged down by
        max_id like the timeline; a comment answering another carries `reply_comment`."""
        token, _ = _credentials(account)
        params = {"access_token": token, "count": self.page_size}
        if cursor:
            params["max_id"] = decode_number_cursor(cursor, "max_id")
        ids, comments, next_cursor = self._get(COMMENTS_TO_ME, params, _comment_list)
        more = bool(ids) and (next_cursor != 0 or len(ids) >= self.page_size)
        if not more:
            return CommentPage(comments, None)
        return CommentPage(comments, encode_cursor("max_id", min(ids) - 1))

    @guarded
    def reply_comment(
        self, account: AccountRef, *, comment_id: str, post_id: str, text: str, user_ip: str
    ) -> CommentReplyResult:
        """Reply to one comment (comments/reply): sent once, like a publication, since a repeat
        after a lost answer would reply twice."""
        token, _ = _credentials(account)
        if not comment_id.isdigit() or not post_id.isdigit():
            raise NotFound(f"不是微博的评论编号：{comment_id!r}", code="bad_comment_id")
        if not user_ip:
            raise ContentRejected(
                "答复微博评论须提供操作人的真实 IP（rip）", code="missing_rip", field="user_ip"
            )
        data = {
            "access_token": token,
            "cid": comment_id,
            "id": post_id,
            "comment": text,
            "rip": user_ip,
        }

        def attempt():
            answer = self.transport.post(COMMENT_REPLY, data=data)
            _raise_for_error(answer.body, clock=self.clock, refusals=REPLY_REFUSALS)
            return _comment(answer.body)

        reply = self.transport.once(attempt)
        return CommentReplyResult(reply.comment_id, reply.created_at)

    def _get(self, path: str, params: dict, parse):
        def attempt():
            answer = self.transport.get(path, params=params)
            _raise_for_error(answer.body, clock=self.clock)
            return parse(answer.body)

        return self.transport.retrying(attempt)


def share_text(publication: Publication) -> str:
    """The status text sent to statuses/share: the text (else the title), and the source link
    when the text does not already contain it (Weibo requires a link of the safe domain)."""
    text = (publication.text or publication.title).strip()
    link = publication.source_url.strip()
    if link and link not in text:
        text = f"{text} {link}" if text else link
    return text


def status_length(text: str) -> int:
    """The length Weibo's 140-汉字 limit counts, as the fake applies it: a wide (CJK) character
    is 1, two half-width characters are 1, rounded up. Weibo's own count may shorten links (to
    t.cn); that is not modelled."""
    return math.ceil(sum(0.5 if ord(ch) < 0x1100 else 1 for ch in text))


class _AcceptedLate(PlatformError):
    """Internal: 20032, Weibo accepted the status but could not answer it yet."""


def _raise_for_error(body, *, clock, refusals=None) -> None:
    if not isinstance(body, dict) or "error_code" not in body:
        return
    raw = body["error_code"]
    code = int(raw) if str(raw).isdigit() else -1  # Weibo sometimes writes the code as a string
    message = str(body.get("error", ""))
    if refusals is not None:
        if code == ACCEPTED_LATE:
            raise _AcceptedLate(message, code=code)
        if code == POSTED_TOO_OFTEN:
            raise RateLimited(
                "微博发布过于频繁，请稍后再发", code=code, retry_after=3600 - clock() % 3600
            )
        if code in refusals:
            field_name, text = refusals[code]
            raise ContentRejected(f"{text}（微博：{message}）", code=code, field=field_name)
    if code in PARAMETER_REFUSED:
        named = re.search(r"\((\w+)\)", message)
        parameter = named.group(1) if named else None
        what = f"参数 {parameter}" if parameter else "请求参数"
        raise parameter_refused(
            "微博",
            code,
            message,
            check=f"{what}：读取账号时为该账号凭据中的 UID（须为授权用户本人的数字 UID）",
            parameter=parameter,
        )
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
    """A status as the client reads it: `idstr` (else `id`, which the documented examples carry
    alone), `created_at` and `text` are needed; the counts are optional (the documented examples
    lack `attitudes_count`): a missing count is unknown (None), never a failed pull."""
    status_id = field(status, "id", int, where="微博")
    idstr = optional(status, "idstr", str)
    if idstr is not None and idstr != str(status_id):
        raise ShapeError(f"微博的 id 与 idstr 不一致：{status_id} / {idstr}")
    field(status, "created_at", str, where="微博")
    field(status, "text", str, where="微博")
    counts = {name: optional(status, name, int) for name in COUNTS}
    mid = optional(status, "mid", (str, int))
    return {
        **status,
        "idstr": str(status_id),
        "mid": str(mid) if mid is not None else "",
        **counts,
    }


def _comment_list(body) -> tuple[list[int], list[Comment], int]:
    rows = field(body, "comments", list)
    comments = [_comment(row) for row in rows]
    next_cursor = optional(body, "next_cursor", int, 0) or 0
    return [int(c.comment_id) for c in comments], comments, next_cursor


def _comment(row) -> Comment:
    """A comment of comments/to_me (or the answer of comments/reply): `id`, `created_at`,
    `text` are needed; `user`, `status` and `reply_comment` are read when present."""
    comment_id = field(row, "id", int, where="微博评论")
    created = field(row, "created_at", str, where="微博评论")
    text = field(row, "text", str, where="微博评论")
    user = optional(row, "user", dict) or {}
    status = optional(row, "status", dict) or {}
    replied = optional(row, "reply_comment", dict) or {}
    post_id = optional(status, "idstr", str) or str(optional(status, "id", int, "") or "")
    author_id = str(user.get("idstr") or user.get("id") or "")
    status_user = status.get("user") if isinstance(status.get("user"), dict) else {}
    owner_id = str(status_user.get("idstr") or status_user.get("id") or "")
    return Comment(
        comment_id=str(comment_id),
        post_id=post_id,
        created_at=parse_weibo_time(created),
        text=text,
        author_name=str(user.get("screen_name") or ""),
        author_id=author_id,
        reply_to_id=str(replied.get("idstr") or replied.get("id") or ""),
        post_text=str(status.get("text") or ""),
        by_account=bool(owner_id) and owner_id == author_id,
    )


def _user(user) -> dict:
    user_id = field(user, "id", int, where="微博用户")
    field(user, "screen_name", str, where="微博用户")
    verified = optional(user, "verified", bool)
    # idstr may be absent (documented examples carry `id` alone); verification unknown when absent.
    return {
        **user,
        "idstr": str(user_id),
        "verified": bool(verified),
        "_verified_known": verified is not None,
    }


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
        verification_known=user["_verified_known"],
    )


def _credentials(account: AccountRef) -> tuple[str, str]:
    token = account.credentials.get("access_token")
    uid = account.credentials.get("uid") or (account.handle if account.handle.isdigit() else "")
    if not token:
        raise BadCredentials("缺少微博 access_token，请先完成授权", code="missing_credentials")
    if not uid:
        raise BadCredentials("缺少微博用户 UID", code="missing_credentials")
    return token, uid
