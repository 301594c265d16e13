"""What a fake platform knows: its accounts, their credentials and their posts.

Posts are kept per account, newest first, and indexed by id, so a request costs the size of one
account's timeline however many accounts there are (the bench serves 10,000 × 20). Every method
is safe to call from a test while the server's threads answer requests.
"""

import hashlib
import threading
import uuid
from bisect import insort
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from ..times import CHINA

FAKE_KUAISHOU_APP_ID = "ks700000000000000001"  # one application, as on Kuaishou


@dataclass(slots=True)
class FakeAccount:
    handle: str  # as registered: 微信号, 微博号, 抖音号 …
    name: str  # display name
    credentials: dict[str, str]
    verified: bool = True
    verified_reason: str = ""
    avatar_url: str = ""
    followers: int = 0


@dataclass(slots=True)
class FakePost:
    post_id: str
    handle: str
    published_at: datetime  # aware
    serial: int  # creation order on this fake: msgid on WeChat, tie-breaker everywhere
    title: str = ""
    text: str = ""
    url: str = ""
    reads: int = 0
    likes: int = 0
    shares: int = 0
    comments: int = 0
    deleted: bool = False
    pending: bool = False  # Kuaishou: 审核中; Douyin: is_reviewed false

    @property
    def timestamp(self) -> int:
        return int(self.published_at.timestamp())

    def order(self) -> tuple:
        return (-self.published_at.timestamp(), -self.serial)  # newest first


@dataclass(slots=True)
class FakeComment:
    """A comment under a post: by a netizen, or the account's own reply (`by_account`)."""

    comment_id: str
    post_id: str
    handle: str  # the account whose post it is under
    created_at: datetime  # aware
    text: str
    author_name: str
    author_id: str
    reply_to: str = ""  # the comment it answers
    by_account: bool = False


def default_credentials(platform: str, handle: str) -> dict[str, str]:
    """The credentials a seeded account gets when the seed names none. Derived from the handle
    alone, so the demo data can store the very same ones without reading the fake's memory."""
    digest = hashlib.sha256(f"{platform}:{handle}".encode()).hexdigest()
    if platform == "wechat":
        return {"app_id": "wx" + digest[:16], "app_secret": digest[16:48]}
    if platform == "weibo":
        return {
            "uid": str(int(digest[:15], 16) % (9 * 10**12) + 10**12),
            "access_token": "2.00" + digest[:28],
        }
    if platform == "douyin":
        return {"open_id": str(uuid.UUID(digest[:32])), "access_token": "act." + digest[32:64]}
    if platform == "kuaishou":
        return {"app_id": FAKE_KUAISHOU_APP_ID, "access_token": "ChFvYXV0aC5" + digest[:40]}
    raise ValueError(f"unknown fake platform {platform!r}")


class FakeState:
    def __init__(self, platform: str, *, new_post_id: Callable[[str, datetime, int], str], clock):
        self.platform = platform
        self.clock = clock
        self._new_post_id = new_post_id
        self._lock = threading.RLock()
        self._serial = 0
        self.accounts: dict[str, FakeAccount] = {}
        self._by_credential: dict[tuple[str, str], str] = {}
        self._timelines: dict[str, list[tuple[tuple, str]]] = {}  # handle → [(order, post_id)]
        self._posts: dict[str, FakePost] = {}
        self._comments: dict[str, FakeComment] = {}
        self._comment_order: dict[str, list[tuple[tuple, str]]] = {}  # handle → newest first

    # -- seeding --------------------------------------------------------------------------

    def add_account(
        self,
        handle: str,
        name: str,
        *,
        credentials: dict[str, str] | None = None,
        verified: bool = True,
        verified_reason: str = "",
        avatar_url: str = "",
        followers: int = 0,
    ) -> FakeAccount:
        creds = dict(credentials) if credentials else default_credentials(self.platform, handle)
        account = FakeAccount(handle, name, creds, verified, verified_reason, avatar_url, followers)
        with self._lock:
            if handle in self.accounts:
                raise ValueError(f"account {handle!r} is already seeded")
            self.accounts[handle] = account
            self._timelines[handle] = []
            for key, value in creds.items():
                if key != "app_id" or self.platform != "kuaishou":  # shared by every account
                    self._by_credential[(key, value)] = handle
        return account

    def add_post(
        self,
        handle: str,
        *,
        published_at: datetime | None = None,
        title: str = "",
        text: str = "",
        post_id: str | None = None,
        url: str = "",
        reads: int = 0,
        likes: int = 0,
        shares: int = 0,
        comments: int = 0,
        pending: bool = False,
    ) -> FakePost:
        moment = published_at or datetime.fromtimestamp(self.clock(), CHINA)
        if moment.tzinfo is None:
            raise ValueError("published_at must be timezone-aware")
        with self._lock:
            if handle not in self.accounts:
                raise KeyError(f"no account {handle!r} on the fake {self.platform}")
            self._serial += 1
            post_id = post_id or self._new_post_id(handle, moment, self._serial)
            if post_id in self._posts:
                raise ValueError(f"post {post_id!r} is already seeded")
            post = FakePost(post_id, handle, moment, self._serial, title, text, url)
            post.reads, post.likes, post.shares, post.comments = reads, likes, shares, comments
            post.pending = pending
            self._posts[post_id] = post
            insort(self._timelines[handle], (post.order(), post_id))
        return post

    def add_comment(
        self,
        post_id: str,
        text: str,
        *,
        author_name: str = "网友",
        author_id: str = "",
        created_at: datetime | None = None,
        reply_to: str = "",
        by_account: bool = False,
        comment_id: str | None = None,
    ) -> FakeComment:
        """A comment under one of an account's posts; ids grow with time like the posts'."""
        moment = created_at or datetime.fromtimestamp(self.clock(), CHINA)
        if moment.tzinfo is None:
            raise ValueError("created_at must be timezone-aware")
        with self._lock:
            post = self._posts[post_id]
            if reply_to and reply_to not in self._comments:
                raise KeyError(f"no comment {reply_to!r} to reply to")
            self._serial += 1
            comment_id = comment_id or self._new_post_id(post.handle, moment, self._serial)
            if comment_id in self._comments or comment_id in self._posts:
                raise ValueError(f"comment {comment_id!r} is already seeded")
            account = self.accounts[post.handle]
            if by_account:
                author_name = account.name
                author_id = account.credentials.get("uid", account.handle)
            comment = FakeComment(
                comment_id,
                post_id,
                post.handle,
                moment,
                text,
                author_name,
                author_id or str(10**9 + self._serial),
                reply_to,
                by_account,
            )
            self._comments[comment_id] = comment
            order = (-moment.timestamp(), -self._serial)
            insort(self._comment_order.setdefault(post.handle, []), (order, comment_id))
            post.comments += 1
        return comment

    def comment(self, comment_id: str) -> FakeComment | None:
        return self._comments.get(comment_id)

    def comments_of(self, handle: str) -> list[FakeComment]:
        """Every comment under the account's posts, newest first."""
        with self._lock:
            return [self._comments[c] for _, c in self._comment_order.get(handle, ())]

    def delete_post(self, post_id: str) -> None:
        """The author deleted it on the platform: it leaves the lists; a lookup finds it gone."""
        with self._lock:
            self._posts[post_id].deleted = True

    def update_post(self, post_id: str, **figures: int) -> None:
        with self._lock:
            post = self._posts[post_id]
            for name, value in figures.items():
                setattr(post, name, value)

    def generate(
        self,
        accounts: int,
        posts_per_account: int,
        *,
        prefix: str = "bench",
        every_hours: float = 18,
    ) -> list[FakeAccount]:
        """Bulk accounts for the benchmark: handles <prefix>_<platform>_<n>, default
        credentials, posts `every_hours` apart going back from now."""
        now = datetime.fromtimestamp(self.clock(), CHINA)
        made = []
        for number in range(accounts):
            handle = f"{prefix}_{self.platform}_{number:05d}"
            made.append(self.add_account(handle, f"压测账号{number:05d}"))
            for index in range(posts_per_account):
                self.add_post(
                    handle,
                    published_at=now - timedelta(hours=every_hours * index, minutes=number % 60),
                    title=f"压测文章 {number}-{index}",
                    text=f"定陶区政务信息第 {index} 期：便民服务、政策解读与工作动态。",
                    reads=100 + index,
                    likes=index,
                )
        return made

    # -- reading (the servers) ------------------------------------------------------------

    def account_by(self, key: str, value: str | None) -> FakeAccount | None:
        if not value:
            return None
        with self._lock:
            handle = self._by_credential.get((key, value))
            return self.accounts.get(handle) if handle else None

    def account(self, handle: str) -> FakeAccount | None:
        return self.accounts.get(handle)

    def post(self, post_id: str) -> FakePost | None:
        return self._posts.get(post_id)

    def timeline(self, handle: str, *, include_pending: bool = True) -> list[FakePost]:
        """The account's live posts, newest first."""
        with self._lock:
            posts = [self._posts[post_id] for _, post_id in self._timelines.get(handle, ())]
        return [p for p in posts if not p.deleted and (include_pending or not p.pending)]

    def search(self, keyword: str, count: int = 20) -> list[FakeAccount]:
        keyword = keyword.strip()
        if not keyword:
            return []
        with self._lock:
            accounts: Iterable[FakeAccount] = list(self.accounts.values())
        return [a for a in accounts if keyword in a.name or keyword in a.handle][:count]
