"""What the four platform clients share: the transport they are built on, close(), and the
fakes' sandbox account search for the platforms whose open API has none.

Each client keeps its own constructor with its public signature and defaults (API base, page
size, platform-specific options) and hands the shared options on to this one.
"""

from collections.abc import Callable

import httpx

from .base import Profile
from .httpjson import JsonTransport, Retry, guarded
from .sandbox import sandbox_search


class PlatformClientBase:
    platform = ""  # the Platform.code it serves, e.g. "wechat-mp"
    label = ""  # the platform's Chinese name, for messages
    max_page_size = 20  # the most the platform's list call accepts in one page

    def __init__(
        self,
        base_url: str,
        *,
        http: httpx.Client | None,
        clock: Callable[[], float],
        sleep: Callable[[float], None],
        rng: Callable[[], float],
        timeout: httpx.Timeout | float | None,
        retry: Retry | None,
        page_size: int,
        sandbox_search: bool = False,
    ):
        self.transport = JsonTransport(
            base_url=base_url,
            label=self.label,
            http=http,
            timeout=timeout,
            retry=retry,
            sleep=sleep,
            rng=rng,
        )
        self.clock = clock
        self.sandbox_search = sandbox_search
        # A page size the platform would refuse is clamped rather than sent.
        self.page_size = max(1, min(self.max_page_size, page_size))

    def close(self) -> None:
        self.transport.close()

    @guarded
    def search_accounts(self, keyword: str) -> list[Profile]:
        # WeChat, Douyin and Kuaishou offer developers no search of other users' accounts, so
        # this is [] in production; Weibo, which has one, overrides it.
        if not self.sandbox_search:
            return []
        return sandbox_search(self.transport, keyword)
