"""快手: the authorised user's photo (video) list, one photo, and the user's public information.
Shapes and codes: docs/platforms/kuaishou.md.

Credentials: access_token (renewed outside this client: an expired one raises TokenExpired) and
the application's app_id (per account, else the client's). Kuaishou pages by photo id: the next
page starts after the page's oldest photo, and a short page is the last; the opaque cursor is
"photo:<photo_id>".
"""

from ..base import (
    AccountRef,
    BadCredentials,
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
    Retryable,
    decode_cursor,
    encode_cursor,
    field,
    guarded,
    optional,
    parameter_refused,
)
from ..times import from_unix_millis

API_BASE = "https://open.kuaishou.com"
PAGE_SIZE = 50  # photo/list: default 20, at most 200

TOKEN_EXPIRED = {100200108, 100200110}
BAD_CREDENTIALS = {100200101, 100200102, 100200107, 100200109, 100200111}
BUSY = {100200500}
THROTTLED = {100100402, 100100403, 100100404, 200100410}
MISSING = {120001}
PARAMETER_REFUSED = {100200100, 100400}  # 请求缺少参数或参数类型错误 / 参数错误


class KuaishouClient(PlatformClientBase):
    platform = "kuaishou"
    label = "快手"
    api_base = API_BASE
    default_page_size = PAGE_SIZE
    max_page_size = 200  # photo/list's limit

    def __init__(self, base_url: str = API_BASE, *, app_id: str = "", **options):
        super().__init__(base_url, **options)
        self.app_id = app_id  # the application's, for accounts whose credentials carry none

    @guarded
    def list_posts(self, account: AccountRef, cursor: str | None = None) -> PostPage:
        params = {**self._auth(account), "count": self.page_size}
        if cursor:
            params["cursor"] = decode_cursor(cursor, "photo")

        def attempt():
            body = self._ok(self.transport.get("/openapi/photo/list", params=params).body)
            photos = [_photo(row) for row in field(body, "video_list", list)]
            posts = [_post(photo) for photo in photos if photo.get("pending") is not True]
            if len(photos) < self.page_size:
                return PostPage(posts, None)
            # The documented cursor is the photo_id with the smallest create_time; of equals,
            # the one listed last, where the next page begins.
            earliest = min(photo["create_time"] for photo in photos)
            oldest = [photo for photo in photos if photo["create_time"] == earliest][-1]
            return PostPage(posts, encode_cursor("photo", oldest["photo_id"]))

        return self.transport.retrying(attempt)

    @guarded
    def get_post(self, account: AccountRef, post_id: str, *, published_at=None) -> Post:
        params = {**self._auth(account), "photo_id": post_id}

        def attempt():
            body = self._ok(self.transport.get("/openapi/photo/info", params=params).body)
            return _post(_photo(field(body, "video_info", dict)))

        return self.transport.retrying(attempt)

    @guarded
    def get_profile(self, account: AccountRef) -> Profile:
        params = self._auth(account)

        def attempt():
            body = self._ok(self.transport.get("/openapi/user_info", params=params).body)
            user = field(body, "user_info", dict)
            return Profile(
                handle=account.handle,
                display_name=field(user, "name", str, where="用户信息"),
                avatar_url=optional(user, "head", str, "") or "",
                verified=False,  # user_info carries no verification
                verification_known=False,
            )

        return self.transport.retrying(attempt)

    def _auth(self, account: AccountRef) -> dict:
        token = account.credentials.get("access_token")
        app_id = account.credentials.get("app_id") or self.app_id
        if not token or not app_id:
            raise BadCredentials("缺少快手的 access_token 或 app_id，请先完成授权", code="missing")
        return {"app_id": app_id, "access_token": token}

    def _ok(self, body) -> dict:
        result = field(body, "result", int)
        if result == 1:
            return body
        message = str(body.get("error_msg") or body.get("errorMsg") or "")
        if result in PARAMETER_REFUSED:
            raise parameter_refused(
                "快手",
                result,
                message,
                check="该账号凭据中的 app_id 与 access_token（须为同一快手应用签发）",
            )
        if result in TOKEN_EXPIRED:
            raise TokenExpired("快手授权已过期，请重新授权", code=result)
        if result in BAD_CREDENTIALS:
            raise BadCredentials(f"快手授权无效（{message}）", code=result)
        if result in MISSING:
            raise NotFound("该快手作品不存在或已删除", code=result)
        if result in BUSY:
            raise Retryable(f"快手服务内部错误（{message}）", code=result)
        if result in THROTTLED:
            raise RateLimited("快手接口调用过于频繁", code=result, retry_after=60.0)
        raise PlatformUnavailable(f"快手接口返回错误 {result}：{message}", code=result)


def _photo(row) -> dict:
    field(row, "photo_id", str, where="作品")
    field(row, "caption", str, where="作品")
    from_unix_millis(field(row, "create_time", int, where="作品"))
    for count in ("like_count", "comment_count", "view_count"):
        field(row, count, int, where="作品")
    optional(row, "play_url", str)
    optional(row, "pending", bool)
    return row


def _post(photo: dict) -> Post:
    return Post(
        post_id=photo["photo_id"],
        published_at=from_unix_millis(photo["create_time"]),
        title=photo["caption"],
        text=photo["caption"],
        url=str(photo.get("play_url") or ""),
        reads=photo["view_count"],
        likes=photo["like_count"],
        comments=photo["comment_count"],
    )
