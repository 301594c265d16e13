"""Demo platform credentials: each demo account gets the keys the fake platforms expect for it
(govmedia.platforms.fakes.state.default_credentials), stored through the real, audited,
encrypted credential service — so `make run` pulls live-looking posts from the fakes."""

from govmedia.credentials.models import PlatformCredential
from govmedia.credentials.services import credential_set
from govmedia.platforms.fakes.state import default_credentials
from govmedia.registry.models import MediaAccount

# Platform.code → the fake server that plays it.
FAKE_PLATFORM = {
    "wechat-mp": "wechat",
    "weibo": "weibo",
    "douyin": "douyin",
    "kuaishou": "kuaishou",
}
SECRET_KEYS = ("app_secret", "access_token")


def seed_credentials(admin) -> int:
    """Store credentials for demo accounts that have none; returns how many were stored."""
    stored = 0
    accounts = MediaAccount.objects.filter(
        is_demo=True, platform__code__in=FAKE_PLATFORM
    ).select_related("platform")
    have = set(PlatformCredential.objects.values_list("account_id", flat=True))
    for account in accounts:
        if account.pk in have:
            continue
        keys = default_credentials(FAKE_PLATFORM[account.platform.code], account.handle)
        secrets = {key: keys.pop(key) for key in SECRET_KEYS if key in keys}
        credential_set(
            actor=admin,
            account_id=account.pk,
            version=0,
            app_id=keys.pop("app_id", ""),
            extra=keys or None,
            **secrets,
        )
        stored += 1
    return stored
