"""Walking comments post by post, for platforms whose open API lists comments per post only
(WeChat's comment/list per article, Douyin's item/comment/list per video), unlike Weibo's
comments/to_me over the whole account.

The walk reads the account's newest posts once (the first call) and then one page of one post's
comments per call. The opaque cursor carries what is left: the posts still to read and the
position inside the current one, so a pull resumes exactly where the previous page ended
without listing the posts again. The order is per post, not newest first across the account,
so the caller reads the walk to its end (`CommentPage.next_cursor is None`)."""

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass

from .base import Comment, CommentPage
from .httpjson import CursorError


@dataclass(frozen=True)
class WalkPost:
    """One post whose comments are read: `key` is what the platform's comment call needs
    (WeChat: "<msg_data_id>:<index>", Douyin: the item_id), `post_id` our id for the post."""

    key: str
    post_id: str
    text: str = ""


# page_of(post, position) → (comments, next position or None when the post is exhausted)
PageOf = Callable[[WalkPost, int], tuple[list[Comment], int | None]]


def walk_comments(
    cursor: str | None, *, first_posts: Callable[[], list[WalkPost]], page_of: PageOf
):
    if cursor is None:
        posts, position = first_posts(), 0
    else:
        posts, position = _decode(cursor)
    if not posts:
        return CommentPage([], None)
    post, rest = posts[0], posts[1:]
    comments, following = page_of(post, position)
    if following is not None:
        return CommentPage(comments, _encode([post, *rest], following))
    if rest:
        return CommentPage(comments, _encode(rest, 0))
    return CommentPage(comments, None)


def _encode(posts: list[WalkPost], position: int) -> str:
    raw = json.dumps(
        {"p": [[p.key, p.post_id, p.text] for p in posts], "at": position},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return "walk:" + base64.urlsafe_b64encode(raw.encode()).decode()


def _decode(cursor: str) -> tuple[list[WalkPost], int]:
    try:
        if not cursor.startswith("walk:"):
            raise ValueError
        data = json.loads(base64.urlsafe_b64decode(cursor[5:].encode()))
        posts = [WalkPost(str(k), str(p), str(t)) for k, p, t in data["p"]]
        position = int(data["at"])
    except (ValueError, KeyError, TypeError):
        raise CursorError(f"分页游标无效：{cursor[:40]!r}", code="bad_cursor") from None
    if position < 0:
        raise CursorError(f"分页游标无效：{cursor[:40]!r}", code="bad_cursor")
    return posts, position
