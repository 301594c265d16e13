"""Comments on the fake 微信公众平台, mixed into WeChatApp: comment/list and comment/reply/add
in the shapes and with the codes of docs/platforms/wechat.md ("Comments").

An article's `msg_data_id` is the `mid` of its link (the post's serial, see
WeChatApp.article_url, or the mid of a seeded link) and `index` its `idx` − 1 (0: one article
per publication here). `user_comment_id` numbers the netizens' first-level comments of one article
from 1 in the order they were written. Follow-ups between netizens are not listed (the API has
none); the account's reply is the `reply` object of the comment it answers, once.
"""

from urllib.parse import parse_qs, urlsplit

from .server import Request, Response

MAX_COUNT = 49  # "获取数目（>=50会被拒绝）"


class WeChatComments:
    def _init_comments(self) -> None:
        self.routes.update(
            {
                ("POST", "/cgi-bin/comment/list"): self.comment_list,
                ("POST", "/cgi-bin/comment/reply/add"): self.comment_reply_add,
            }
        )

    def _article(self, account, body: dict):
        """The account's article for msg_data_id/index, or the error WeChat answers."""
        msg_data_id, index = body.get("msg_data_id"), body.get("index", 0)
        if not _int(msg_data_id) or not _int(index):
            return None, self.error(47001, "data format error")
        for post in self.state.timeline(account.handle):
            query = parse_qs(urlsplit(self.article_url(post)).query)
            mid, idx = (query.get("mid") or [""])[0], (query.get("idx") or ["1"])[0]
            if mid == str(msg_data_id) and idx == str(index + 1) and idx == "1":
                return post, None
        return None, self.error(88001, "msg_data is not exists")

    def _first_level(self, account, post) -> list:
        """The netizens' comments on the article, oldest first (their user_comment_id order)."""
        return [
            c
            for c in reversed(self.state.comments_of(account.handle))
            if c.post_id == post.post_id and not c.by_account and not c.reply_to
        ]

    def _reply_of(self, account, comment):
        for c in self.state.comments_of(account.handle):
            if c.by_account and c.reply_to == comment.comment_id:
                return c
        return None

    def comment_list(self, request: Request) -> Response:
        account, refusal = self._caller(request)
        if refusal:
            return refusal
        body = request.json()
        if not isinstance(body, dict):
            return self.error(47001, "data format error")
        begin, count, kind = body.get("begin"), body.get("count"), body.get("type")
        if not _int(begin) or not _int(count) or not _int(kind):
            return self.error(47001, "data format error")
        if begin < 0 or not 1 <= count <= MAX_COUNT or kind not in (0, 1, 2):
            return self.error(40097, "invalid args")
        post, refusal = self._article(account, body)
        if refusal:
            return refusal
        comments = self._first_level(account, post)
        rows = []
        for number, comment in enumerate(comments, start=1):
            if number <= begin or len(rows) >= count:
                continue
            row = {
                "user_comment_id": number,
                "openid": comment.author_id,
                "create_time": int(comment.created_at.timestamp()),
                "content": comment.text,
                "comment_type": 0,
            }
            reply = self._reply_of(account, comment)
            if reply is not None:
                row["reply"] = {
                    "content": reply.text,
                    "create_time": int(reply.created_at.timestamp()),
                }
            rows.append(row)
        return Response({"errcode": 0, "errmsg": "ok", "comment": rows, "total": len(comments)})

    def comment_reply_add(self, request: Request) -> Response:
        account, refusal = self._caller(request)
        if refusal:
            return refusal
        body = request.json()
        if not isinstance(body, dict):
            return self.error(47001, "data format error")
        post, refusal = self._article(account, body)
        if refusal:
            return refusal
        number, content = body.get("user_comment_id"), body.get("content")
        if not _int(number) or not isinstance(content, str):
            return self.error(47001, "data format error")
        comments = self._first_level(account, post)
        if not 1 <= number <= len(comments):
            return self.error(88008, "comment is not exists")
        target = comments[number - 1]
        if self._reply_of(account, target) is not None:
            return self.error(88005, "already reply")
        self.state.add_comment(post.post_id, content, reply_to=target.comment_id, by_account=True)
        return Response({"errcode": 0, "errmsg": "ok"})


def _int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
