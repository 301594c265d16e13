"""抖音: the authorised account's video list with statistics, one video's data, the
account's public information, and the comments on its videos with the account's replies to
them. Shapes and codes: docs/platforms/douyin.md.

Credentials: access_token (sent in the `access-token` header; renewed outside this client, so an
expired one raises TokenExpired) and open_id. Paging follows the list's own `cursor` while
`has_more` is true; the opaque cursor is "cursor:<n>".
"""

from ..base import (
    AccountRef,
    BadCredentials,
    Comment,
    CommentReplyResult,
    NotFound,
    PlatformUnavailable,
    Post,
    PostPage,
    Profile,
    RateLimited,
    TokenExpired,
)
from ..client_base import PlatformClientBase
from ..comment_walk import WalkPost, walk_comments
from ..httpjson import (
    Retryable,
    decode_number_cursor,
    encode_cursor,
    field,
    guarded,
    optional,
    parameter_refused,
)
from ..times import from_unix_seconds, seconds_to_midnight

API_BASE = "https://open.douyin.com"
PAGE_SIZE = 20
IN_REVIEW = 4  # video_status: 1 已发布, 2 不适宜公开, 4 审核中

# Douyin answers with the older 21xxxxx codes on older abilities and 28xxxxxx on newer ones.
TOKEN_EXPIRED = {2190008, 28001008}
BAD_CREDENTIALS = {2100007, 2190002, 2190004, 28001003, 28001012, 28001014, 28001015, 28001018}
ACCOUNT_GONE = {2100009, 28001045, 28001046}
BUSY = {2100004, 28001005, 28001006}
THROTTLED = {28003018}
QUOTA_USED = {2190001, 28003017}
PARAMETER_REFUSED = {2100005, 28001007}  # 参数不合法 (old and new code sets)

COMMENT_PAGE = 50  # item/comment/list: "每页的数量，最大不超过50"
REPLY_PAGE = 20  # item/comment/reply/list: "最大不超过20"
REPLY_PAGES = 5  # the follow-ups read under one comment per pull
COMMENT_POSTS = 10  # the newest videos whose comments each pull reads


class DouyinClient(PlatformClientBase):
    platform = "douyin"
    label = "抖音"
    api_base = API_BASE
    default_page_size = PAGE_SIZE
    max_page_size = PAGE_SIZE

    @guarded
    def list_posts(self, account: AccountRef, cursor: str | None = None) -> PostPage:
        token, open_id = _credentials(account)
        start = decode_number_cursor(cursor, "cursor") if cursor is not None else 0
        params = {"open_id": open_id, "cursor": start, "count": self.page_size}

        def attempt():
            answer = self.transport.get(
                "/api/douyin/v1/video/video_list/", params=params, headers=_auth(token)
            )
            data = self._data(answer.body)
            videos = [_video(row) for row in field(data, "list", list, where="视频列表")]
            following = field(data, "cursor", int, where="视频列表")
            has_more = field(data, "has_more", bool, where="视频列表")
            posts = [_post(video) for video in videos if not _in_review(video)]
            return PostPage(posts, encode_cursor("cursor", following) if has_more else None)

        return self.transport.retrying(attempt)

    @guarded
    def get_post(self, account: AccountRef, post_id: str, *, published_at=None) -> Post:
        token, open_id = _credentials(account)

        def attempt():
            answer = self.transport.post(
                "/api/douyin/v1/video/video_data/",
                params={"open_id": open_id},
                json_body={"item_ids": [post_id]},
                headers=_auth(token),
            )
            data = self._data(answer.body)
            videos = [_video(row) for row in field(data, "list", list, where="视频数据")]
            match = [video for video in videos if video["item_id"] == post_id]
            if not match:
                raise NotFound("该抖音视频不存在或已删除", code="deleted")
            return _post(match[0])

        return self.transport.retrying(attempt)

    @guarded
    def get_profile(self, account: AccountRef) -> Profile:
        token, open_id = _credentials(account)

        def attempt():
            answer = self.transport.post(
                "/oauth/userinfo/", json_body={"open_id": open_id}, headers=_auth(token)
            )
            data = self._data(answer.body)
            field(data, "open_id", str, where="用户信息")
            return Profile(
                handle=account.handle,
                display_name=field(data, "nickname", str, where="用户信息"),
                avatar_url=optional(data, "avatar", str, "") or "",
                # The open API tells only an enterprise role (e_account_role), not the 蓝V
                # verification a government account carries.
                verified=False,
                verification_known=False,
            )

        return self.transport.retrying(attempt)

    # -- comments (互动管理: item.comment) ---------------------------------------------------

    can_read_comments = True
    can_reply_comments = True

    @guarded
    def list_comments(self, account: AccountRef, cursor: str | None = None):
        """The comments on the newest videos, video by video (comment_walk), each top-level
        comment followed by its replies (item/comment/reply/list) as follow-ups in its thread."""
        return walk_comments(
            cursor,
            first_posts=lambda: [
                WalkPost(p.post_id, p.post_id, p.title[:60])
                for p in self.list_posts(account).posts[:COMMENT_POSTS]
            ],
            page_of=lambda post, start: self._comment_page(account, post, start),
        )

    @guarded
    def reply_comment(
        self, account: AccountRef, *, comment_id: str, post_id: str, text: str, user_ip: str
    ) -> CommentReplyResult:
        """Reply under one comment (item/comment/reply), sent once: the answer's
        data.comment_id is the reply's own id, which a later pull lists under the comment."""
        token, open_id = _credentials(account)

        def attempt():
            answer = self.transport.post(
                "/item/comment/reply/",
                params={"open_id": open_id},
                json_body={"item_id": post_id, "comment_id": comment_id, "content": text},
                headers=_auth(token),
            )
            data = self._data(answer.body)
            return field(data, "comment_id", str, where="回复评论")

        return CommentReplyResult(self.transport.once(attempt))

    def _comment_page(self, account: AccountRef, post: WalkPost, start: int):
        rows, following, has_more = self._comments(
            account, "/item/comment/list/", {"item_id": post.key}, start, COMMENT_PAGE
        )
        comments = []
        for row in rows:
            comments.append(_comment(post, row))
            if row.get("reply_comment_total"):
                comments.extend(self._replies(account, post, row["comment_id"]))
        return comments, following if has_more and rows else None

    def _replies(self, account: AccountRef, post: WalkPost, comment_id: str) -> list[Comment]:
        replies, start = [], 0
        for _ in range(REPLY_PAGES):
            rows, start, has_more = self._comments(
                account,
                "/item/comment/reply/list/",
                {"item_id": post.key, "comment_id": comment_id},
                start,
                REPLY_PAGE,
            )
            replies.extend(_comment(post, row, reply_to=comment_id) for row in rows)
            if not has_more or not rows:
                break
        return replies

    def _comments(self, account, path: str, params: dict, start: int, count: int):
        token, open_id = _credentials(account)
        query = {**params, "open_id": open_id, "cursor": start, "count": count, "sort_type": "time"}

        def attempt():
            answer = self.transport.get(path, params=query, headers=_auth(token))
            data = self._data(answer.body)
            rows = [_comment_row(row) for row in field(data, "list", list, where="评论列表")]
            following = field(data, "cursor", int, where="评论列表")
            return rows, following, field(data, "has_more", bool, where="评论列表")

        return self.transport.retrying(attempt)

    def _data(self, body) -> dict:
        """The `data` object of an answer, once its error_code says success."""
        data = field(body, "data", dict)
        raw = data.get("error_code", 0)
        code = int(raw) if str(raw).lstrip("-").isdigit() else -1  # "0" or 0 alike
        if code == 0:
            return data
        message = str(data.get("description", ""))
        if code in PARAMETER_REFUSED:
            raise parameter_refused(
                "抖音",
                code,
                message,
                check="该账号凭据中的 open_id（须为授予该 access_token 的抖音用户的 open_id，重新授权即可获得）",
            )
        if code in TOKEN_EXPIRED:
            raise TokenExpired("抖音授权已过期，请刷新或重新授权", code=code)
        if code in BAD_CREDENTIALS:
            raise BadCredentials(f"抖音授权无效或权限不足（{message}）", code=code)
        if code in ACCOUNT_GONE:
            raise NotFound("抖音账号已注销或被封禁", code=code)
        if code in BUSY:
            raise Retryable(f"抖音系统繁忙（{message}）", code=code)
        if code in THROTTLED:
            raise RateLimited("抖音接口调用过于频繁", code=code, retry_after=60.0)
        if code in QUOTA_USED:
            raise RateLimited(
                "抖音接口调用额度已用完", code=code, retry_after=seconds_to_midnight(self.clock())
            )
        raise PlatformUnavailable(f"抖音接口返回错误 {code}：{message}", code=code)


def _in_review(video: dict) -> bool:
    """Not yet published: `is_reviewed` false (the documented field: true once the review has
    ended, passed or failed), or `video_status` 4 where an answer carries that field."""
    return video.get("is_reviewed") is False or video.get("video_status") == IN_REVIEW


def _video(row) -> dict:
    field(row, "item_id", str, where="视频")
    field(row, "title", str, where="视频")
    from_unix_seconds(field(row, "create_time", int, where="视频"))
    optional(row, "share_url", str)
    optional(row, "video_status", int)
    optional(row, "is_reviewed", bool)
    statistics = field(row, "statistics", dict, where="视频")
    for count in ("digg_count", "comment_count", "share_count", "play_count"):
        field(statistics, count, int, where="视频统计")
    return row


def _post(video: dict) -> Post:
    statistics = video["statistics"]
    return Post(
        post_id=video["item_id"],
        published_at=from_unix_seconds(video["create_time"]),
        title=video["title"],
        text=video["title"],
        url=str(video.get("share_url") or ""),
        reads=statistics["play_count"],
        likes=statistics["digg_count"],
        shares=statistics["share_count"],
        comments=statistics["comment_count"],
    )


def _comment_row(row) -> dict:
    field(row, "comment_id", str, where="评论")
    field(row, "content", str, where="评论")
    from_unix_seconds(field(row, "create_time", int, where="评论"))
    optional(row, "comment_user_id", str)
    optional(row, "reply_comment_total", int)
    return row


def _comment(post: WalkPost, row: dict, *, reply_to: str = "") -> Comment:
    return Comment(
        comment_id=row["comment_id"],
        post_id=post.post_id,
        created_at=from_unix_seconds(row["create_time"]),
        text=row["content"],
        author_id=str(row.get("comment_user_id") or ""),
        reply_to_id=reply_to,
        post_text=post.text,
    )


def _auth(token: str) -> dict:
    return {"access-token": token}


def _credentials(account: AccountRef) -> tuple[str, str]:
    token, open_id = account.credentials.get("access_token"), account.credentials.get("open_id")
    if not token or not open_id:
        raise BadCredentials("缺少抖音的 access_token 或 open_id，请先完成授权", code="missing")
    return token, open_id
