"""Where WeChat access tokens are kept between calls.

WeChat invalidates an AppID's previous token (after a five-minute overlap) each time a new one is
fetched, so every process that pulls one account must share its token rather than fetch its own.
The default store is one process's memory; several workers should be given a shared store
(the cache or the database) through the same two methods.
"""

import threading
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class CachedToken:
    token: str
    expires_at: float  # epoch seconds, by the client's clock


class TokenStore(Protocol):
    def get(self, app_id: str) -> CachedToken | None: ...

    def put(self, app_id: str, token: CachedToken) -> None: ...

    def forget(self, app_id: str, token: str) -> None: ...


class MemoryTokenStore:
    def __init__(self):
        self._tokens: dict[str, CachedToken] = {}
        self._lock = threading.Lock()

    def get(self, app_id: str) -> CachedToken | None:
        with self._lock:
            return self._tokens.get(app_id)

    def put(self, app_id: str, token: CachedToken) -> None:
        with self._lock:
            self._tokens[app_id] = token

    def forget(self, app_id: str, token: str) -> None:
        # Only the token that was refused: another thread may already have stored a fresh one.
        with self._lock:
            cached = self._tokens.get(app_id)
            if cached is not None and cached.token == token:
                del self._tokens[app_id]
