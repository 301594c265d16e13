"""The one small interface every platform client implements, and the errors it may raise.

Monitoring, counterfeit search and the credential check talk to platforms only through this, so
a platform's quirks (token refresh, paging style, error codes, time formats) stay in its package.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol


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


class PlatformUnavailable(PlatformError):
    """5xx, timeouts, truncated or malformed answers: retry later with jitter."""


class PlatformClient(Protocol):
    platform: str  # the Platform.code it serves, e.g. "wechat-mp"

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
