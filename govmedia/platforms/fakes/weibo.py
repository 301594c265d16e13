"""Fake 微博 API v2: statuses/user_timeline, statuses/show, users/show,
search/suggestions/users and statuses/share, in the shapes of docs/platforms/weibo.md.

Status ids grow with the publication time, as Weibo's do, so max_id/since_id paging works on
seeded posts added in any order.

statuses/share enforces the 140-汉字 limit (weibo.client.status_length), a link of one of the
application's 安全域名 (`app.safe_domains`, by default the district's site), refuses a text the
account posted already (20019), checks the picture (JPEG/GIF/PNG, < 5M) and requires `rip`; the
shared status then shows in the account's user_timeline like a seeded one.
"""

import re
import secrets
from datetime import datetime
from urllib.parse import urlsplit

from ..images import image_kind
from ..times import CHINA, format_weibo_time
from ..weibo.client import STATUS_LIMIT, status_length
from .server import FakeApp, Request, Response
from .state import FakeState

SOURCE = '<a href="http://app.weibo.com/t/feed/6vtZb0" rel="nofollow">微博 weibo.com</a>'
SAFE_DOMAINS = ("www.dingtao.gov.cn",)  # the application's 安全域名: the district's site
PIC_LIMIT = 5 * 1024 * 1024  # "上传图片大小限制为<5M"
PIC_KINDS = {"jpeg", "gif", "png"}
REPEAT_WINDOW = 20  # a text equal to one of the account's latest statuses is refused (20019)
_URL = re.compile(r"https?://[^\s<>\"'，。；！？）】」]+", re.IGNORECASE)


def new_status_id(handle: str, moment: datetime, serial: int) -> str:
    return str(int(moment.timestamp()) * 1_000_000 + serial % 1_000_000)


class WeiboApp(FakeApp):
    platform = "weibo"

    def __init__(self, clock):
        super().__init__(FakeState("weibo", new_post_id=new_status_id, clock=clock), clock)
        self.routes.update(
            {
                ("GET", "/2/statuses/user_timeline.json"): self.user_timeline,
                ("GET", "/2/statuses/show.json"): self.show_status,
                ("GET", "/2/users/show.json"): self.show_user,
                ("GET", "/2/search/suggestions/users.json"): self.suggest_users,
                ("POST", "/2/statuses/share.json"): self.share,
                ("GET", "/2/comments/to_me.json"): self.comments_to_me,
                ("POST", "/2/comments/reply.json"): self.reply_comment,
            }
        )
        self.safe_domains: tuple[str, ...] = SAFE_DOMAINS
        self._pictures: dict[str, str] = {}  # status id → picture id

    @staticmethod
    def error(request: Request, code: int, message: str, status: int = 400) -> Response:
        return Response(
            {"error": message, "error_code": code, "request": request.path}, status=status
        )

    def platform_error(self, kind: str, request: Request) -> Response:
        code, message, status = {
            "expired_token": (21327, "expired_token", 401),
            "rate_limit": (10023, "User requests out of rate limit!", 403),
            "bad_credentials": (21332, "invalid_access_token", 401),
            "busy": (10001, "system error!", 500),
        }[kind]
        return self.error(request, code, message, status)

    def _caller(self, request: Request):
        token = request.query.get("access_token")
        if token is None and request.method == "POST":
            token = request.form().get("access_token")
        account = self.state.account_by("access_token", token)
        if account is None:
            return None, self.error(request, 21332, "invalid_access_token", 401)
        return account, None

    def share(self, request: Request) -> Response:
        account, refusal = self._caller(request)
        if refusal:
            return refusal
        form = request.form()
        for name in ("status", "rip"):
            if name not in form:
                message = f"Miss required parameter ({name}) , see doc for more info"
                return self.error(request, 10016, message)
        text = form["status"].strip()
        if not text:
            return self.error(request, 20008, "Content is null!")
        if status_length(text) > STATUS_LIMIT:
            message = "Text too long, please input text less than 140 characters!"
            return self.error(request, 20012, message)
        if not any(self._safe(url) for url in _URL.findall(text)):
            # The answer quoted for an application without a 安全域名 link in the text.
            return self.error(request, 10017, "appkey not bind domain!")
        if any(post.text == text for post in self.state.timeline(account.handle)[:REPEAT_WINDOW]):
            return self.error(request, 20019, "Repeat conetnt!")
        pic = request.files().get("pic")
        if pic is not None:
            if image_kind(pic.data) not in PIC_KINDS:
                message = "Unsupported image type, only suport JPG, GIF, PNG!"
                return self.error(request, 20005, message)
            if len(pic.data) >= PIC_LIMIT:
                return self.error(request, 20006, "Image size too large!")
        post = self.state.add_post(
            account.handle, published_at=datetime.fromtimestamp(self.clock(), CHINA), text=text
        )
        if pic is not None:
            self._pictures[post.post_id] = secrets.token_hex(8) + "jw1e" + secrets.token_hex(6)
        return Response(self._status(account, post))

    def _safe(self, url: str) -> bool:
        host = (urlsplit(url).hostname or "").lower()
        return any(host == d or host.endswith("." + d) for d in self.safe_domains)

    def user_timeline(self, request: Request) -> Response:
        account, refusal = self._caller(request)
        if refusal:
            return refusal
        # Since 2014 the timeline answers only for the user who authorised the token.
        query = request.query
        try:
            count = int(query.get("count", "20"))
            page = int(query.get("page", "1"))
            max_id = int(query.get("max_id", "0"))
            since_id = int(query.get("since_id", "0"))
        except ValueError:
            return self.error(request, 10017, "parameter value invalid")
        if not 1 <= count <= 100 or page < 1:
            return self.error(request, 10017, "parameter (count)'s value invalid")
        statuses = [
            post
            for post in self.state.timeline(account.handle)
            if (not max_id or int(post.post_id) <= max_id) and int(post.post_id) > since_id
        ]
        start = (page - 1) * count
        chosen = statuses[start : start + count]
        following = statuses[start + count] if len(statuses) > start + count else None
        return Response(
            {
                "statuses": [self._status(account, post) for post in chosen],
                "previous_cursor": 0,
                "next_cursor": int(following.post_id) if following else 0,
                "total_number": len(statuses),
            }
        )

    def comments_to_me(self, request: Request) -> Response:
        """comments/to_me: the comments others wrote under the account's statuses, newest
        first, paged like the timeline (max_id ≤, since_id >, count ≤ 200, page)."""
        account, refusal = self._caller(request)
        if refusal:
            return refusal
        query = request.query
        try:
            count = int(query.get("count", "50"))
            page = int(query.get("page", "1"))
            max_id = int(query.get("max_id", "0"))
            since_id = int(query.get("since_id", "0"))
        except ValueError:
            return self.error(request, 10017, "parameter value invalid")
        if not 1 <= count <= 200 or page < 1:
            return self.error(request, 10017, "parameter (count)'s value invalid")
        received = [
            c
            for c in self.state.comments_of(account.handle)
            if not c.by_account
            and (not max_id or int(c.comment_id) <= max_id)
            and int(c.comment_id) > since_id
            and not self.state.post(c.post_id).deleted
        ]
        start = (page - 1) * count
        chosen = received[start : start + count]
        following = received[start + count] if len(received) > start + count else None
        return Response(
            {
                "comments": [self._comment(account, c) for c in chosen],
                "previous_cursor": 0,
                "next_cursor": int(following.comment_id) if following else 0,
                "total_number": len(received),
            }
        )

    def reply_comment(self, request: Request) -> Response:
        """comments/reply: the account answers comment `cid` under status `id`; the answer is
        the new comment, with the comment it answers as `reply_comment`."""
        account, refusal = self._caller(request)
        if refusal:
            return refusal
        form = request.form()
        for name in ("cid", "id", "comment", "rip"):
            if name not in form:
                message = f"Miss required parameter ({name}) , see doc for more info"
                return self.error(request, 10016, message)
        post = self.state.post(form["id"])
        if post is None or post.deleted or post.handle != account.handle:
            return self.error(request, 20101, "target weibo does not exist!")
        target = self.state.comment(form["cid"])
        if target is None or target.post_id != post.post_id:
            return self.error(request, 10017, "parameter (cid)'s value invalid")
        text = form["comment"].strip()
        if not text:
            return self.error(request, 20008, "content is null!")
        if status_length(text) > STATUS_LIMIT:
            return self.error(request, 20012, "Text too long, please input text less than 140!")
        for earlier in self.state.comments_of(account.handle):
            if (
                earlier.by_account
                and earlier.reply_to == target.comment_id
                and earlier.text == text
            ):
                return self.error(request, 20019, "repeat content!")
        reply = self.state.add_comment(
            post.post_id, text, reply_to=target.comment_id, by_account=True
        )
        return Response(self._comment(account, reply))

    def _comment(self, account, comment) -> dict:
        # The keys of the documented JSON示例 of comments/to_me (user, status, mid, source),
        # plus idstr (the field table lists it) and reply_comment when it answers another.
        post = self.state.post(comment.post_id)
        if comment.by_account:
            user = self._user(account)
        else:
            user = {
                "id": int(comment.author_id),
                "idstr": comment.author_id,
                "screen_name": comment.author_name,
                "name": comment.author_name,
                "province": "37",
                "city": "17",
                "location": "山东 菏泽",
                "description": "",
                "url": "",
                "profile_image_url": "",
                "domain": "",
                "gender": "n",
                "followers_count": 0,
                "friends_count": 0,
                "statuses_count": 0,
                "favourites_count": 0,
                "created_at": "Mon Jan 07 09:00:00 +0800 2013",
                "following": False,
                "allow_all_act_msg": False,
                "remark": "",
                "geo_enabled": False,
                "verified": False,
                "allow_all_comment": True,
                "avatar_large": "",
                "verified_reason": "",
                "follow_me": False,
                "online_status": 0,
                "bi_followers_count": 0,
            }
        row = {
            "created_at": format_weibo_time(comment.created_at),
            "id": int(comment.comment_id),
            "idstr": comment.comment_id,
            "text": comment.text,
            "source": SOURCE,
            "mid": comment.comment_id,
            "user": user,
            "status": self._status(account, post),
        }
        if comment.reply_to:
            replied = self.state.comment(comment.reply_to)
            row["reply_comment"] = {
                "created_at": format_weibo_time(replied.created_at),
                "id": int(replied.comment_id),
                "idstr": replied.comment_id,
                "text": replied.text,
                "mid": replied.comment_id,
            }
        return row

    def show_status(self, request: Request) -> Response:
        _, refusal = self._caller(request)
        if refusal:
            return refusal
        post = self.state.post(request.query.get("id", ""))
        if post is None or post.deleted:
            return self.error(request, 20101, "target weibo does not exist!")
        return Response(self._status(self.state.account(post.handle), post))

    def show_user(self, request: Request) -> Response:
        _, refusal = self._caller(request)
        if refusal:
            return refusal
        uid, screen_name = request.query.get("uid"), request.query.get("screen_name")
        account = self.state.account_by("uid", uid) if uid else None
        if account is None and screen_name:
            account = next(
                (a for a in self.state.search(screen_name) if a.name == screen_name), None
            )
        if account is None:
            return self.error(request, 20003, "User does not exists!")
        return Response(self._user(account))

    def suggest_users(self, request: Request) -> Response:
        _, refusal = self._caller(request)
        if refusal:
            return refusal
        count = int(request.query.get("count", "10") or 10)
        found = self.state.search(request.query.get("q", ""), count)
        return Response(
            [
                {
                    "screen_name": a.name,
                    "followers_count": a.followers,
                    "uid": int(a.credentials["uid"]),
                }
                for a in found
            ]
        )

    def _status(self, account, post) -> dict:
        # The keys of the documented JSON示例, plus idstr and attitudes_count, which the same
        # pages' field tables list (the example predates them); pictures only when there is one.
        status = {
            "created_at": format_weibo_time(post.published_at),
            "id": int(post.post_id),
            "idstr": post.post_id,
            "mid": post.post_id,
            "text": post.text,
            "source": SOURCE,
            "favorited": False,
            "truncated": False,
            "in_reply_to_status_id": "",
            "in_reply_to_user_id": "",
            "in_reply_to_screen_name": "",
            "geo": None,
            "reposts_count": post.shares,
            "comments_count": post.comments,
            "attitudes_count": post.likes,
            "annotations": [],
            "user": self._user(account),
        }
        picture = self._pictures.get(post.post_id)
        if picture:
            status["thumbnail_pic"] = f"http://ww2.sinaimg.cn/thumbnail/{picture}.jpg"
            status["bmiddle_pic"] = f"http://ww2.sinaimg.cn/bmiddle/{picture}.jpg"
            status["original_pic"] = f"http://ww2.sinaimg.cn/large/{picture}.jpg"
        return status

    def _user(self, account) -> dict:
        uid = account.credentials["uid"]
        return {
            "id": int(uid),
            "idstr": uid,
            "screen_name": account.name,
            "name": account.name,
            "province": "37",
            "city": "17",
            "location": "山东 菏泽",
            "description": "",
            "url": "",
            "profile_image_url": account.avatar_url,
            "domain": account.handle,
            "gender": "n",
            "followers_count": account.followers,
            "friends_count": 0,
            "statuses_count": len(self.state.timeline(account.handle)),
            "favourites_count": 0,
            "created_at": "Mon Jan 07 09:00:00 +0800 2013",
            "following": False,
            "allow_all_act_msg": False,
            "remark": "",
            "geo_enabled": False,
            "verified": account.verified,
            "verified_type": 1 if account.verified else -1,  # 1: 政府
            "allow_all_comment": True,
            "avatar_large": account.avatar_url,
            "verified_reason": account.verified_reason,
            "follow_me": False,
            "online_status": 0,
            "bi_followers_count": 0,
        }
