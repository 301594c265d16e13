"""快手 client (openapi/photo/list, photo/info, user_info)."""

from .client import KuaishouClient

__all__ = ["KuaishouClient"]
