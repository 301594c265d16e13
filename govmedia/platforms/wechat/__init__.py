"""微信公众号 client (freepublish, datacube, access token)."""

from .client import WeChatClient
from .tokens import CachedToken, MemoryTokenStore, TokenStore

__all__ = ["CachedToken", "MemoryTokenStore", "TokenStore", "WeChatClient"]
