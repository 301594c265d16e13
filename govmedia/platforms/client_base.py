"""What the four platform clients share: the transport they are built on, the constructor options
and their defaults, close(), and the fakes' sandbox account search for the platforms whose open
API has none.

A client class declares only what is its own (`api_base`, `default_page_size`, `max_page_size`,
and a constructor for options of its own such as WeChat's `token_store`, passing `**options` on);
every client therefore takes the same keyword options with the same defaults:

    Client(base_url=None, *, http=None, clock=time.time, sleep=time.sleep, rng=random.random,
           timeout=None, retry=None, page_size=None, sandbox_search=False, …its own options)
"""

import random
import time
from collections.abc import Callable

import httpx

from .base import AccountRef, Profile, PublishUnsupported
from .httpjson import JsonTransport, Retry, guarded
from .sandbox import sandbox_search


class PlatformClientBase:
    platform = ""  # the Platform.code it serves, e.g. "wechat-mp"
    label = ""  # the platform's Chinese name, for messages
    api_base = ""  # the real API's base URL, used when none is given
    default_page_size = 20
    max_page_size = 20  # the most the platform's list call accepts in one page
    can_publish = False  # True where the client implements publish (base.Publisher)
    has_sandbox_search = True  # False where the platform has a real search (Weibo)

    def __init__(
        self,
        base_url: str | None = None,
        *,
        http: httpx.Client | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        rng: Callable[[], float] = random.random,
        timeout: httpx.Timeout | float | None = None,
        retry: Retry | None = None,
        page_size: int | None = None,
        sandbox_search: bool = False,
    ):
        if sandbox_search and not self.has_sandbox_search:
            raise TypeError(f"{type(self).__name__} has a real account search, no sandbox_search")
        self.transport = JsonTransport(
            base_url=base_url or self.api_base,
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
        wanted = self.default_page_size if page_size is None else page_size
        self.page_size = max(1, min(self.max_page_size, wanted))

    def close(self) -> None:
        self.transport.close()

    @guarded
    def search_accounts(self, keyword: str) -> list[Profile]:
        # WeChat, Douyin and Kuaishou offer developers no search of other users' accounts, so
        # this is [] in production; Weibo, which has one, overrides it.
        if not self.sandbox_search:
            return []
        return sandbox_search(self.transport, keyword)

    def publish(self, account: AccountRef, publication):
        # Overridden by the clients with can_publish = True; a caller that did not look at
        # can_publish gets a typed error rather than an AttributeError.
        raise PublishUnsupported(f"{self.label}开放接口不支持发布内容", code="publish_unsupported")

    def publish_status(self, account: AccountRef, ticket):
        raise PublishUnsupported(f"{self.label}开放接口不支持发布内容", code="publish_unsupported")
