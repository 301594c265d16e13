"""Platform.code → its API client, built from settings.PLATFORM_API_BASES.

One client per platform and base URL per process: a client holds an httpx connection pool and
(WeChat) its cached access tokens, and is thread-safe, so the pull threads share it. Tests and
the demo point the base URLs at the fake servers; production keeps the real API hosts.
"""

import threading

from django.conf import settings

from govmedia.platforms.base import PlatformClient
from govmedia.platforms.clients import CLIENTS, make_client

_lock = threading.Lock()
_clients: dict[tuple[str, str], PlatformClient] = {}


def supported_codes() -> tuple[str, ...]:
    """The platforms whose accounts are pulled: a client exists and a base URL is set."""
    bases = settings.PLATFORM_API_BASES
    return tuple(code for code in CLIENTS if bases.get(code))


def client_for(code: str) -> PlatformClient:
    """The shared client of a platform; KeyError for a platform that is not pulled."""
    base_url = settings.PLATFORM_API_BASES[code]
    key = (code, base_url)
    client = _clients.get(key)
    if client is None:
        with _lock:
            client = _clients.get(key)
            if client is None:
                client = _clients[key] = make_client(code, base_url)
    return client


def forget_clients() -> None:
    """Close and drop every client (tests start fake servers on new ports each time)."""
    with _lock:
        for client in _clients.values():
            close = getattr(client, "close", None)
            if close is not None:
                close()
        _clients.clear()
