"""One client per Platform.code, built with the base URL the settings give (the real API in
production, a fake server in tests and the demo)."""

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
