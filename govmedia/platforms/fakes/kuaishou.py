"""Fake 快手开放平台: openapi/photo/list, openapi/photo/info and openapi/user_info, in the
shapes of docs/platforms/kuaishou.md (`result` 1 for success, an error code otherwise).

The list pages by photo id: `cursor` is the photo_id of the previous page's oldest photo.
"""

import hashlib
from datetime import datetime

from .server import FakeApp, Request, Response
from .state import FakeState


def new_photo_id(handle: str, moment: datetime, serial: int) -> str:
    digest = hashlib.sha256(f"kuaishou-photo:{handle}:{serial}".encode()).hexdigest()
    return str(5_200_000_000_000_000_000 + int(digest[:15], 16) % 10**18)


class KuaishouApp(FakeApp):
    platform = "kuaishou"

    def __init__(self, clock):
        super().__init__(FakeState("kuaishou", new_post_id=new_photo_id, clock=clock), clock)
        self.routes.update(
            {
                ("GET", "/openapi/photo/list"): self.photo_list,
                ("GET", "/openapi/photo/info"): self.photo_info,
                ("GET", "/openapi/user_info"): self.user_info,
            }
        )

    @staticmethod
    def error(code: int, message: str) -> Response:
        return Response({"result": code, "error_msg": message})

    def platform_error(self, kind: str, request: Request) -> Response:
        code, message = {
            "expired_token": (100200108, "access_token过期"),
            "rate_limit": (100100402, "请求频率超过限制"),
            "bad_credentials": (100200102, "请求被拒绝,可能是无效的 token 等"),
            "busy": (100200500, "服务内部错误"),
        }[kind]
        return self.error(code, message)

    def _caller(self, request: Request):
        account = self.state.account_by("access_token", request.query.get("access_token"))
        if account is None:
            return None, self.error(100200102, "请求被拒绝,可能是无效的 token 等")
        if request.query.get("app_id") != account.credentials.get("app_id"):
            return None, self.error(100200101, "无效的client")
        return account, None

    def photo_list(self, request: Request) -> Response:
        account, refusal = self._caller(request)
        if refusal:
            return refusal
        try:
            count = int(request.query.get("count", "20") or 20)
        except ValueError:
            return self.error(100200100, "请求缺少参数或参数类型错误")
        if not 1 <= count <= 200:
            return self.error(100200100, "请求缺少参数或参数类型错误")
        photos = self.state.timeline(account.handle)
        cursor = request.query.get("cursor")
        start = 0
        if cursor:
            position = next((i for i, p in enumerate(photos) if p.post_id == cursor), None)
            start = len(photos) if position is None else position + 1
        return Response(
            {"result": 1, "video_list": [self._photo(p) for p in photos[start : start + count]]}
        )

    def photo_info(self, request: Request) -> Response:
        account, refusal = self._caller(request)
        if refusal:
            return refusal
        post = self.state.post(request.query.get("photo_id", ""))
        if post is None or post.deleted or post.handle != account.handle:
            return self.error(120001, "视频不存在")
        return Response({"result": 1, "video_info": self._photo(post)})

    def user_info(self, request: Request) -> Response:
        account, refusal = self._caller(request)
        if refusal:
            return refusal
        return Response(
            {
                "result": 1,
                "user_info": {
                    "name": account.name,
                    "sex": "M",
                    "fan": account.followers,
                    "follow": 0,
                    "head": account.avatar_url,
                    "bigHead": account.avatar_url,
                    "city": "菏泽",
                },
            }
        )

    @staticmethod
    def _photo(post) -> dict:
        return {
            "photo_id": post.post_id,
            "caption": post.title or post.text,
            "cover": f"https://p1.a.yximgs.com/upic/fake/{post.serial}.jpg",
            "play_url": post.url or f"https://v.kuaishou.com/fake/{post.serial}",
            "create_time": int(post.published_at.timestamp() * 1000),
            "like_count": post.likes,
            "comment_count": post.comments,
            "view_count": post.reads,
            "pending": post.pending,
        }
