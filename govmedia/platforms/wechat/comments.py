"""微信公众号 comments (图文消息留言管理): the netizens' comments on the newest published
articles (comment/list) and the account's reply to one (comment/reply/add). Shapes, codes and
their sources: docs/platforms/wechat.md, "Comments".

comment/list needs the article's `msg_data_id` and `index`. WeChat has no call listing them
(its community answer: "目前没有直接提供所有msg_data_id的接口"); an article's link carries them
as `mid` and `idx` (1-based), so they are read from the url of each published article: an
article whose url holds no `mid` has no comments read. `user_comment_id` numbers comments
within one article only, so our comment id is "<msg_data_id>:<index>:<user_comment_id>".

The API lists only the first level: one netizen comment and at most the account's one reply
(the `reply` object); WeChat's multi-round replies are made on mp.weixin.qq.com, not here, so a
WeChat message has no follow-ups. A comment is answered once: a second reply is refused (88005).
"""

from urllib.parse import parse_qs, urlsplit

from ..base import AccountRef, Comment, CommentReplyResult, NotFound
from ..comment_walk import WalkPost, walk_comments
from ..httpjson import field, guarded, optional
from ..times import from_unix_seconds

COMMENT_PAGE = 49  # "获取数目（>=50会被拒绝）"
COMMENT_POSTS = 10  # the newest articles whose comments each pull reads
ALL_COMMENTS = 0  # type=0: 普通评论&精选评论

# comment/reply/add's refusals of the reply itself → (field, message).
REPLY_REFUSALS = {
    88005: ("text", "该留言已在微信公众平台回复过（每条留言只能回复一次）"),
}
NO_ARTICLE = 88001  # msg_data is not exists
NO_COMMENT = 88008  # comment is not exists


class WeChatComments:
    can_read_comments = True
    can_reply_comments = True

    @guarded
    def list_comments(self, account: AccountRef, cursor: str | None = None):
        return walk_comments(
            cursor,
            first_posts=lambda: self._commented_articles(account),
            page_of=lambda post, begin: self._comment_page(account, post, begin),
        )

    @guarded
    def reply_comment(
        self, account: AccountRef, *, comment_id: str, post_id: str, text: str, user_ip: str
    ) -> CommentReplyResult:
        """Reply once (`publishes`: never repeated after it may have reached WeChat). The answer
        carries no id of the reply: WeChat keeps one reply per comment, under the comment."""
        msg_data_id, index, user_comment_id = _split_comment_id(comment_id)
        self._api(
            account,
            "/cgi-bin/comment/reply/add",
            {
                "msg_data_id": msg_data_id,
                "index": index,
                "user_comment_id": user_comment_id,
                "content": text,
            },
            parse=lambda body: body,
            refusals=REPLY_REFUSALS,
            publishes=True,
        )
        return CommentReplyResult("")

    def _commented_articles(self, account: AccountRef) -> list[WalkPost]:
        page = self.list_posts(account)
        posts = []
        for post in page.posts[:COMMENT_POSTS]:
            key = article_key(post.url)
            if key is not None:
                posts.append(WalkPost(key, post.post_id, post.title[:60]))
        return posts

    def _comment_page(self, account: AccountRef, post: WalkPost, begin: int):
        msg_data_id, _, index = post.key.partition(":")
        try:
            total, rows = self._api(
                account,
                "/cgi-bin/comment/list",
                {
                    "msg_data_id": int(msg_data_id),
                    "index": int(index),
                    "begin": begin,
                    "count": COMMENT_PAGE,
                    "type": ALL_COMMENTS,
                },
                parse=_comment_list,
            )
        except NotFound:
            return [], None  # the article went (or never had comments opened): next one
        comments = [_comment(post, row) for row in rows]
        following = begin + len(rows)
        return comments, following if rows and following < total else None


def article_key(url: str) -> str | None:
    """ "<msg_data_id>:<index>" from an article link's `mid` and `idx`, None without a mid."""
    query = parse_qs(urlsplit(url or "").query)
    mid = (query.get("mid") or [""])[0]
    idx = (query.get("idx") or ["1"])[0]
    if not mid.isdigit() or not idx.isdigit() or int(idx) < 1:
        return None
    return f"{mid}:{int(idx) - 1}"


def _split_comment_id(comment_id: str) -> tuple[int, int, int]:
    parts = comment_id.split(":")
    if len(parts) != 3 or not all(p.isdigit() for p in parts):
        raise NotFound(f"不是本平台生成的微信留言编号：{comment_id!r}", code="bad_comment_id")
    return int(parts[0]), int(parts[1]), int(parts[2])


def _comment_list(body) -> tuple[int, list[dict]]:
    total = field(body, "total", int)
    rows = field(body, "comment", list)
    for row in rows:
        field(row, "user_comment_id", int, where="微信留言")
        from_unix_seconds(field(row, "create_time", int, where="微信留言"))
        field(row, "content", str, where="微信留言")
        optional(row, "openid", str)
        optional(row, "reply", dict)
    return total, rows


def _comment(post: WalkPost, row: dict) -> Comment:
    return Comment(
        comment_id=f"{post.key}:{row['user_comment_id']}",
        post_id=post.post_id,
        created_at=from_unix_seconds(row["create_time"]),
        text=row["content"],
        author_id=str(row.get("openid") or ""),  # absent for a non-WeChat identity
        post_text=post.text,
    )
