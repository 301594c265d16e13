"""微博 client (statuses/user_timeline, statuses/show, users/show, user search)."""

from .client import WeiboClient

__all__ = ["WeiboClient"]
