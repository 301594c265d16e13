"""抖音 client (video_list, video_data, oauth/userinfo)."""

from .client import DouyinClient

__all__ = ["DouyinClient"]
