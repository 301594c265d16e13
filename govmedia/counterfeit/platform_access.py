"""The platform clients the counterfeit domain uses, and how it asks whether an account exists.

An impostor is not ours: we hold no credentials for it. The clients' `get_profile` needs the
account's own credentials on WeChat, Douyin and Kuaishou, so "does the platform still find it"
is asked the way each platform allows: Weibo's users/show with our search token (its NotFound is
the platform's own answer), and elsewhere the account search (the fakes' sandbox search in tests
and the demo), where the account is gone when no result carries its handle.

The clients are built here rather than taken from monitoring.clients because searching needs
options the pulls do not (Weibo's search token, the sandbox search of the fakes); they share the
base URLs of settings.PLATFORM_API_BASES.

Settings read (optional): PLATFORM_SANDBOX_SEARCH (bool: the fakes' search, never production)
and WEIBO_SEARCH_ACCESS_TOKEN (an authorised token of our Weibo application).
"""

from django.conf import settings

from govmedia.platforms.base import (
    AccountRef,
    BadCredentials,
    Credentials,
    NotFound,
    PlatformClient,
    Profile,
)
from govmedia.platforms.clients import CLIENTS, SharedClients

_clients = SharedClients()  # searching needs options of its own: its clients are not the pulls'


def _options(code: str) -> dict:
    if code == "weibo":
        token = getattr(settings, "WEIBO_SEARCH_ACCESS_TOKEN", "")
        return {"search_credentials": Credentials({"access_token": token})} if token else {}
    return {"sandbox_search": bool(getattr(settings, "PLATFORM_SANDBOX_SEARCH", False))}


def searchable_codes() -> tuple[str, ...]:
    """Platforms with a client and a base URL (whether search is switched on is per client)."""
    bases = getattr(settings, "PLATFORM_API_BASES", {})
    return tuple(code for code in CLIENTS if bases.get(code))


def client_for(code: str) -> PlatformClient | None:
    if code not in searchable_codes():
        return None
    return _clients.get(code, settings.PLATFORM_API_BASES[code], **_options(code))


def searches(client: PlatformClient) -> bool:
    """Whether the client's account search is switched on (else it always answers [])."""
    return bool(
        getattr(client, "sandbox_search", False) or getattr(client, "search_credentials", None)
    )


def _same(a: str, b: str) -> bool:
    return a.strip().lower() == b.strip().lower()


def find_account(client: PlatformClient, handle: str, display_name: str = "") -> Profile:
    """The account as the platform shows it now; NotFound when the platform no longer has it.

    BadCredentials when this platform offers no way to look up an account that is not ours.
    """
    credentials = getattr(client, "search_credentials", None) or Credentials()
    try:
        return client.get_profile(AccountRef(handle=handle, credentials=credentials))
    except BadCredentials:
        if not searches(client):
            raise
    # Search results carry the platform's own id (a Weibo UID for a 微博号 reported by hand): the
    # same name counts as still there too, so a handle written differently never closes a case.
    for keyword in dict.fromkeys(k for k in (handle, display_name) if k.strip()):
        for profile in client.search_accounts(keyword):
            if _same(profile.handle, handle) or (
                display_name and _same(profile.display_name, display_name)
            ):
                return profile
    raise NotFound("平台上查不到该账号", code="not_found")


def forget_clients() -> None:
    """Close and drop every client (tests start the fake servers on new ports each time)."""
    _clients.close()
