"""Account search on the fake servers, for platforms whose open API has no account search.

WeChat, Douyin and Kuaishou offer developers no way to search other accounts by name, so their
clients return [] in production. The fake servers answer `GET /sandbox/search/accounts` so the
counterfeit-account feature can be exercised in tests and the demo; a client asks it only when
built with `sandbox_search=True`. The shape is ours, not a platform's (docs/platforms/*.md).
"""

from .base import Profile
from .httpjson import JsonTransport, ShapeError, field, optional

SANDBOX_SEARCH_PATH = "/sandbox/search/accounts"


def sandbox_search(transport: JsonTransport, keyword: str, *, count: int = 20) -> list[Profile]:
    def attempt() -> list[Profile]:
        answer = transport.get(SANDBOX_SEARCH_PATH, params={"keyword": keyword, "count": count})
        if answer.status != 200:
            raise ShapeError(f"账号搜索返回 HTTP {answer.status}")
        return [_profile(row) for row in field(answer.body, "accounts", list)]

    return transport.retrying(attempt)


def _profile(row) -> Profile:
    return Profile(
        handle=field(row, "handle", str, where="搜索结果"),
        display_name=field(row, "name", str, where="搜索结果"),
        verified=field(row, "verified", bool, where="搜索结果"),
        verified_reason=optional(row, "verified_reason", str, "") or "",
        avatar_url=optional(row, "avatar_url", str, "") or "",
    )
