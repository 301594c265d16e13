"""One client per Platform.code, built with the base URL the settings give (the real API in
production, a fake server in tests and the demo)."""

import threading

from .base import PlatformClient, PlatformError
from .douyin import DouyinClient
from .kuaishou import KuaishouClient
from .wechat import WeChatClient
from .weibo import WeiboClient

CLIENTS = {
    WeChatClient.platform: WeChatClient,
    WeiboClient.platform: WeiboClient,
    DouyinClient.platform: DouyinClient,
    KuaishouClient.platform: KuaishouClient,
}


class UnsupportedPlatform(PlatformError):
    """No API client for this platform (自建APP, 小程序 …): its posts are not pulled."""


def make_client(platform_code: str, base_url: str | None = None, **options) -> PlatformClient:
    try:
        client_class = CLIENTS[platform_code]
    except KeyError:
        raise UnsupportedPlatform(
            f"平台 {platform_code} 暂无接口对接", code="unsupported"
        ) from None
    return client_class(base_url, **options) if base_url else client_class(**options)


class SharedClients:
    """One client per platform, base URL and options: a client holds an httpx connection pool
    and (WeChat) its cached access tokens, and is thread-safe, so a process's threads share it."""

    def __init__(self):
        self._lock = threading.Lock()
        self._clients: dict[tuple[str, str, str], PlatformClient] = {}

    def get(self, code: str, base_url: str, **options) -> PlatformClient:
        key = (code, base_url, repr(sorted(options.items())))
        client = self._clients.get(key)
        if client is None:
            with self._lock:
                client = self._clients.get(key)
                if client is None:
                    client = self._clients[key] = make_client(code, base_url, **options)
        return client

    def close(self) -> None:
        """Close and drop every client."""
        with self._lock:
            for client in self._clients.values():
                close = getattr(client, "close", None)
                if close is not None:
                    close()
            self._clients.clear()
