"""The one small interface every platform client implements, and the errors it may raise.

Monitoring, counterfeit search and the credential check talk to platforms only through this, so
a platform's quirks (token refresh, paging style, error codes, time formats) stay in its package.
Publishing (the review-and-publishing feature) goes through `Publisher`, which only the clients
with `can_publish = True` implement (WeChat, Weibo).
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol


@dataclass(frozen=True)
class Credentials:
    """What a client needs to act for one account; the keys depend on the platform
    (WeChat: app_id, app_secret; Weibo/Douyin/Kuaishou: access_token, open_id/uid …)."""

    values: dict[str, str] = field(default_factory=dict)

    def get(self, key: str, default: str = "") -> str:
        return self.values.get(key, default)


@dataclass(frozen=True)
class AccountRef:
    """The account on its platform: its handle/ID as registered, and how to act for it."""

    handle: str
    credentials: Credentials = field(default_factory=Credentials)


@dataclass(frozen=True)
class Post:
    post_id: str  # the platform's own id: the key of idempotent upserts
    published_at: datetime  # timezone-aware
    title: str = ""
    text: str = ""  # plain text or HTML of the content, as far as the API gives it
    url: str = ""
    reads: int | None = None
    likes: int | None = None
    shares: int | None = None
    comments: int | None = None
    is_html: bool = False


@dataclass(frozen=True)
class PostPage:
    posts: list[Post]
    next_cursor: str | None  # pass back to continue; None when the list is exhausted


@dataclass(frozen=True)
class Profile:
    handle: str
    display_name: str
    verified: bool
    verified_reason: str = ""  # e.g. the verified subject: 菏泽市定陶区天中街道办事处
    avatar_url: str = ""
    # False where the platform's API does not say whether the account is verified (WeChat's
    # developer API, Kuaishou's user_info): `verified` is then not evidence either way.
    verification_known: bool = True


class PlatformError(Exception):
    """Base of the typed errors; `message` is Chinese and safe to show to a user."""

    def __init__(self, message: str, *, code: str | int | None = None):
        super().__init__(message)
        self.message = message
        self.code = code


class BadCredentials(PlatformError):
    """AppID/secret or token wrong or revoked: a person must fix the credentials."""


class TokenExpired(PlatformError):
    """The access token expired: refresh it and retry once."""


class RateLimited(PlatformError):
    def __init__(self, message: str, *, code=None, retry_after: float | None = None):
        super().__init__(message, code=code)
        self.retry_after = retry_after


class NotFound(PlatformError):
    """The account or post does not exist (any more) on the platform."""


class ParameterError(PlatformError):
    """The platform refused a parameter of the request (WeChat 40097, Douyin 2100005, Weibo 10008,
    Kuaishou 100200100 …). Asking again sends the same parameters and gets the same refusal, so it
    is never retried as "platform down": `message` says what to check (usually an identifier in
    the account's credentials — open_id, uid, app_id — or, when those are right, a request this
    platform no longer accepts, to be reported to the platform's administrators). `parameter`
    names the parameter when the platform's answer says which."""

    def __init__(self, message: str, *, code=None, parameter: str | None = None):
        super().__init__(message, code=code)
        self.parameter = parameter


class PlatformUnavailable(PlatformError):
    """5xx, timeouts, truncated or malformed answers: retry later with jitter."""


class OutcomeUnknown(PlatformUnavailable):
    """A publishing request was sent but no usable answer came back (timeout, 5xx, garbled):
    the platform may or may not have published. Never retried automatically, since a retry could
    publish twice; a person (or a later pull) must look at the account before publishing again."""


class ContentRejected(PlatformError):
    """The platform refused the content itself (too long, wrong image, repeated, illegal …):
    nothing was published; fix `field` (a `Publication` field name, when known) and try again."""

    def __init__(self, message: str, *, code=None, field: str | None = None):
        super().__init__(message, code=code)
        self.field = field


class PublishUnsupported(PlatformError):
    """The platform's open API offers no publishing (Douyin, Kuaishou): see `can_publish`."""


@dataclass(frozen=True)
class Publication:
    """What a client publishes: one approved revision, its body and its images.

    `html` is the article body (WeChat); an `<img src="NAME">` in it whose NAME is a key of
    `images` is uploaded and its src rewritten to the platform's URL. `text` is the plain text of
    platforms without HTML (Weibo's status). `source_url` is the 阅读原文 link (WeChat) or the
    link Weibo requires in a shared status (a page of the application's 安全域名); Weibo's
    client appends it to `text` when the text does not already contain it. `user_ip` is the
    publishing user's real IP, which Weibo's share call requires (`rip`)."""

    title: str
    html: str = ""
    text: str = ""
    author: str = ""
    digest: str = ""
    cover: bytes | None = None
    cover_name: str = "cover.jpg"
    images: dict[str, bytes] = field(default_factory=dict)
    source_url: str = ""
    open_comment: bool = False
    user_ip: str = ""


@dataclass(frozen=True)
class PublishTicket:
    """An asynchronous publication under way (WeChat's publish_id): ask `publish_status`."""

    ticket: str


@dataclass(frozen=True)
class PublishResult:
    state: Literal["publishing", "published", "failed"]
    post_id: str = ""  # the id list_posts will report for it, once published
    url: str = ""
    message: str = ""  # Chinese, safe to show; why it failed or what to wait for
    code: str | int | None = None  # the platform's own status or error code


@dataclass(frozen=True)
class Comment:
    """A netizen's comment on one of the account's posts (留言), as the platform lists it.

    `comment_id` is the platform's own id: the key of idempotent upserts. `reply_to_id` is the
    comment this one answers (a follow-up in the same thread), "" for a top-level comment."""

    comment_id: str
    post_id: str
    created_at: datetime  # timezone-aware
    text: str
    author_name: str = ""
    author_id: str = ""
    reply_to_id: str = ""
    post_text: str = ""  # the commented post's text (or title), to show beside the comment
    by_account: bool = False  # written by the account itself (its own reply)


@dataclass(frozen=True)
class CommentPage:
    comments: list[Comment]
    next_cursor: str | None  # pass back to continue; None when the list is exhausted


@dataclass(frozen=True)
class CommentReplyResult:
    """The account's reply as the platform stored it."""

    reply_id: str
    created_at: datetime | None = None


class PlatformClient(Protocol):
    platform: str  # the Platform.code it serves, e.g. "wechat-mp"
    can_publish: bool  # True: it is also a Publisher (WeChat, Weibo)

    def list_posts(self, account: AccountRef, cursor: str | None = None) -> PostPage: ...

    def get_post(
        self, account: AccountRef, post_id: str, *, published_at: datetime | None = None
    ) -> Post:
        """One post with its metrics; NotFound once it is deleted on the platform.

        `published_at`, when the caller stored it from list_posts, spares clients whose
        single-post API omits the time (WeChat's getarticle) a search through the list."""
        ...

    def get_profile(self, account: AccountRef) -> Profile: ...

    def search_accounts(self, keyword: str) -> list[Profile]: ...


class CommentClient(Protocol):
    """The clients whose `can_read_comments` is True (Weibo, WeChat, Douyin); `can_reply_comments`
    says whether the platform's open API also takes the account's reply to a comment. A reply is
    sent once (OutcomeUnknown after a lost answer), never retried automatically.
    `comments_newest_first` (Weibo) says the list runs newest first across the whole account, so
    a page of known comments ends a pull; otherwise the list is walked post by post to its end
    (comment_walk)."""

    can_read_comments: bool
    can_reply_comments: bool

    def list_comments(self, account: AccountRef, cursor: str | None = None) -> CommentPage: ...

    def reply_comment(
        self, account: AccountRef, *, comment_id: str, post_id: str, text: str, user_ip: str
    ) -> CommentReplyResult: ...


class Publisher(Protocol):
    """The clients whose `can_publish` is True. Publishing is never retried automatically once
    the request may have reached the platform (see OutcomeUnknown)."""

    can_publish: bool

    def publish(
        self, account: AccountRef, publication: Publication
    ) -> PublishTicket | PublishResult:
        """WeChat answers a PublishTicket (publishing is asynchronous: poll publish_status);
        Weibo publishes at once and answers the PublishResult."""
        ...

    def publish_status(self, account: AccountRef, ticket: PublishTicket) -> PublishResult:
        """Where a publication stands: WeChat's ticket is the publish_id; on Weibo a ticket
        made of the status id reads the status back (failed once it is deleted)."""
        ...
