"""Fake 抖音开放平台: video_list, video_data, oauth/userinfo and the comments of 互动管理
(item/comment/list, item/comment/reply/list, item/comment/reply), in the shapes of
docs/platforms/douyin.md (errors as `data.error_code` with HTTP 200).

Comments are two levels as on Douyin: a top-level comment under the video and the replies under
it (a follow-up answering a reply is listed under the same top-level comment). The account's
own reply is listed among them like anyone's; `comment_user_id` is an opaque per-user id.
"""

import base64
import hashlib
import secrets
from datetime import datetime

from .server import FakeApp, Request, Response
from .state import FakeState


def new_item_id(handle: str, moment: datetime, serial: int) -> str:
    # Open-platform item ids are opaque, encrypted strings starting with "@".
    digest = hashlib.sha256(f"douyin-item:{handle}:{serial}".encode()).digest()
    return "@" + base64.urlsafe_b64encode(digest[:24]).decode().rstrip("=")


class DouyinApp(FakeApp):
    platform = "douyin"

    def __init__(self, clock):
        super().__init__(FakeState("douyin", new_post_id=new_item_id, clock=clock), clock)
        self.routes.update(
            {
                ("GET", "/api/douyin/v1/video/video_list/"): self.video_list,
                ("POST", "/api/douyin/v1/video/video_data/"): self.video_data,
                ("POST", "/oauth/userinfo/"): self.userinfo,
                ("GET", "/item/comment/list/"): self.comment_list,
                ("GET", "/item/comment/reply/list/"): self.comment_reply_list,
                ("POST", "/item/comment/reply/"): self.comment_reply,
            }
        )

    def _extra(self, code: int = 0, description: str = "") -> dict:
        # As the published examples write it: `logid` in a success's extra, `log_id` in an
        # error's (热门视频榜's 响应样例 and 响应错误样例).
        log_key = "log_id" if code else "logid"
        return {
            "error_code": code,
            "description": description,
            "sub_error_code": 0,
            "sub_description": "",
            log_key: secrets.token_hex(17).upper(),
            "now": int(self.clock() * 1000),
        }

    def error(self, code: int, description: str) -> Response:
        return Response(
            {
                "data": {"error_code": code, "description": description},
                "extra": self._extra(code, description),
            }
        )

    def ok(self, data: dict) -> Response:
        return Response(
            {"data": {**data, "error_code": 0, "description": ""}, "extra": self._extra()}
        )

    def platform_error(self, kind: str, request: Request) -> Response:
        code, description = {
            "expired_token": (2190008, "access_token过期,请刷新或重新授权"),
            "rate_limit": (28003018, "请求频率过高"),
            "bad_credentials": (2190002, "access_token无效"),
            "busy": (2100004, "系统繁忙,此时请开发者稍候再试"),
        }[kind]
        return self.error(code, description)

    def _caller(self, request: Request):
        account = self.state.account_by("access_token", request.headers.get("access-token"))
        if account is None:
            return None, self.error(2190002, "access_token无效")
        if request.param("open_id") != account.credentials.get("open_id"):
            return None, self.error(2100005, "参数不合法")
        return account, None

    def video_list(self, request: Request) -> Response:
        account, refusal = self._caller(request)
        if refusal:
            return refusal
        try:
            cursor = int(request.query.get("cursor", "0") or 0)
            count = int(request.query.get("count", "10"))
        except ValueError:
            return self.error(2100005, "参数不合法")
        if cursor < 0 or not 1 <= count <= 20:
            return self.error(2100005, "参数不合法")
        videos = self.state.timeline(account.handle)
        page = videos[cursor : cursor + count]
        following = cursor + len(page)
        return self.ok(
            {
                "list": [self._item(post) for post in page],
                "cursor": following,
                "has_more": following < len(videos),
            }
        )

    def video_data(self, request: Request) -> Response:
        account, refusal = self._caller(request)
        if refusal:
            return refusal
        body = request.json()
        item_ids = body.get("item_ids") if isinstance(body, dict) else None
        if not isinstance(item_ids, list) or not item_ids:
            return self.error(2100005, "参数不合法")
        found = [self.state.post(str(item_id)) for item_id in item_ids]
        return self.ok(
            {
                "list": [
                    self._item(post)
                    for post in found
                    if post is not None and not post.deleted and post.handle == account.handle
                ]
            }
        )

    # -- comments -----------------------------------------------------------------------------

    def _paging(self, request: Request, most: int):
        try:
            cursor = int(request.query.get("cursor", "0") or 0)
            count = int(request.query.get("count", ""))
        except ValueError:
            return None, self.error(2100005, "参数不合法")
        if cursor < 0 or not 1 <= count <= most:
            return None, self.error(2100005, "参数不合法")
        return (cursor, count), None

    def _video(self, account, item_id):
        post = self.state.post(str(item_id or ""))
        if post is None or post.deleted or post.handle != account.handle:
            return None
        return post

    def _root(self, comment):
        while comment.reply_to:
            comment = self.state.comment(comment.reply_to)
        return comment

    def _page(self, rows: list, cursor: int, count: int) -> Response:
        page = rows[cursor : cursor + count]
        following = cursor + len(page)
        return self.ok(
            {
                "list": [self._comment(c, rows_under=self._replies(c)) for c in page],
                "cursor": following,
                "has_more": following < len(rows),
            }
        )

    def _replies(self, comment) -> list:
        if comment.reply_to:
            return []
        return [
            c
            for c in self.state.comments_of(comment.handle)
            if c.reply_to and c.post_id == comment.post_id and self._root(c) is comment
        ]

    def comment_list(self, request: Request) -> Response:
        account, refusal = self._caller(request)
        if refusal:
            return refusal
        paging, refusal = self._paging(request, 50)
        if refusal:
            return refusal
        post = self._video(account, request.query.get("item_id"))
        if post is None:
            return self.error(2100005, "参数不合法")
        top = [
            c
            for c in self.state.comments_of(account.handle)
            if c.post_id == post.post_id and not c.reply_to
        ]
        return self._page(top, *paging)

    def comment_reply_list(self, request: Request) -> Response:
        account, refusal = self._caller(request)
        if refusal:
            return refusal
        paging, refusal = self._paging(request, 20)
        if refusal:
            return refusal
        post = self._video(account, request.query.get("item_id"))
        comment = self.state.comment(request.query.get("comment_id", ""))
        if post is None or comment is None or comment.post_id != post.post_id:
            return self.error(2100005, "参数不合法")
        return self._page(self._replies(comment), *paging)

    def comment_reply(self, request: Request) -> Response:
        account, refusal = self._caller(request)
        if refusal:
            return refusal
        body = request.json()
        if not isinstance(body, dict) or not isinstance(body.get("content"), str):
            return self.error(2100005, "参数不合法")
        post = self._video(account, body.get("item_id"))
        target = self.state.comment(str(body.get("comment_id") or ""))
        content = body["content"].strip()
        if post is None or not content or (target is not None and target.post_id != post.post_id):
            return self.error(2100005, "参数不合法")
        if body.get("comment_id") and target is None:
            return self.error(2100005, "参数不合法")
        reply = self.state.add_comment(
            post.post_id,
            content,
            reply_to=target.comment_id if target else "",
            by_account=True,
        )
        return self.ok({"comment_id": reply.comment_id})

    @staticmethod
    def _comment(comment, *, rows_under: list) -> dict:
        user = hashlib.sha256(f"douyin-user:{comment.author_id}".encode()).hexdigest()[:10]
        return {
            "comment_id": comment.comment_id,
            "comment_user_id": user,
            "content": comment.text,
            "create_time": int(comment.created_at.timestamp()),
            "digg_count": 0,
            "reply_comment_total": len(rows_under),
            "top": False,
        }

    def userinfo(self, request: Request) -> Response:
        account, refusal = self._caller(request)
        if refusal:
            return refusal
        creds = account.credentials
        return Response(
            {
                "data": {
                    "avatar": account.avatar_url,
                    "city": "",
                    "country": "",
                    "description": "",
                    "e_account_role": "",
                    "error_code": 0,
                    "gender": 0,
                    "nickname": account.name,
                    "open_id": creds["open_id"],
                    "province": "",
                    "union_id": "u-" + creds["open_id"],
                }
            }
        )

    @staticmethod
    def _item(post) -> dict:
        return {
            "item_id": post.post_id,
            "title": post.title or post.text,
            "cover": f"https://p3-sign.douyinpic.com/obj/fake/{post.serial}.jpeg",
            "create_time": post.timestamp,
            "is_top": False,
            "is_reviewed": not post.pending,
            "share_url": post.url or f"https://www.iesdouyin.com/share/video/{post.serial}/",
            "statistics": {
                "comment_count": post.comments,
                "digg_count": post.likes,
                "download_count": 0,
                "forward_count": 0,
                "play_count": post.reads,
                "share_count": post.shares,
            },
        }
