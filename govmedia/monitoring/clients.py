"""Platform.code → its API client, built from settings.PLATFORM_API_BASES.

One client per platform and base URL per process: a client holds an httpx connection pool and
(WeChat) its cached access tokens, and is thread-safe, so the pull threads share it. Tests and
the demo point the base URLs at the fake servers; production keeps the real API hosts.
"""

from django.conf import settings

from govmedia.platforms.base import PlatformClient
from govmedia.platforms.clients import CLIENTS, SharedClients

_clients = SharedClients()


def supported_codes() -> tuple[str, ...]:
    """The platforms whose accounts are pulled: a client exists and a base URL is set."""
    bases = settings.PLATFORM_API_BASES
    return tuple(code for code in CLIENTS if bases.get(code))


def client_for(code: str) -> PlatformClient:
    """The shared client of a platform; KeyError for a platform that is not pulled."""
    return _clients.get(code, settings.PLATFORM_API_BASES[code])


def forget_clients() -> None:
    """Close and drop every client (tests start fake servers on new ports each time)."""
    _clients.close()
