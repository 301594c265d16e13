"""Fake 微博 API v2: statuses/user_timeline, statuses/show, users/show and
search/suggestions/users, in the shapes of docs/platforms/weibo.md.

Status ids grow with the publication time, as Weibo's do, so max_id/since_id paging works on
seeded posts added in any order.
"""

from datetime import datetime

from ..times import format_weibo_time
from .server import FakeApp, Request, Response
from .state import FakeState

SOURCE = '<a href="http://app.weibo.com/t/feed/6vtZb0" rel="nofollow">微博 weibo.com</a>'


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
            }
        )

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
        account = self.state.account_by("access_token", request.query.get("access_token"))
        if account is None:
            return None, self.error(request, 21332, "invalid_access_token", 401)
        return account, None

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
                "marks": [],
                "hasvisible": False,
                "previous_cursor": 0,
                "next_cursor": int(following.post_id) if following else 0,
                "total_number": len(statuses),
                "interval": 0,
            }
        )

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
        return {
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
            "pic_urls": [],
            "geo": None,
            "user": self._user(account),
            "reposts_count": post.shares,
            "comments_count": post.comments,
            "attitudes_count": post.likes,
            "isLongText": False,
            "visible": {"type": 0, "list_id": 0},
        }

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
            "profile_image_url": account.avatar_url,
            "profile_url": f"u/{uid}",
            "domain": account.handle,
            "gender": "n",
            "followers_count": account.followers,
            "friends_count": 0,
            "statuses_count": len(self.state.timeline(account.handle)),
            "created_at": "Mon Jan 07 09:00:00 +0800 2013",
            "verified": account.verified,
            "verified_type": 1 if account.verified else -1,  # 1: 政府
            "verified_reason": account.verified_reason,
        }
