"""Per-client limits on the public pages (search and report), counted in the database.

The database rather than a per-process cache: production runs several web processes against one
PostgreSQL and no other server, and a limit counted per process would let a client multiply it
by the number of processes. The client address is stored only as a keyed hash.
"""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import RateCounter

# Counters older than this are of no use to any window and are swept away.
KEEP = timedelta(days=1)

# Where the windows are cut from: wall-clock time, since every web process must agree on the
# window a request falls in. Tests replace it to step across a window's end at will.
clock = timezone.now


@dataclass(frozen=True)
class Limit:
    name: str
    count: int
    seconds: int


SEARCH_LIMIT = Limit("verify-search", 30, 60)
REPORT_LIMIT = Limit("verify-report", 5, 3600)


def _key(limit: Limit, client: str) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{limit.name}|{client}".encode(), hashlib.sha256
    ).hexdigest()
    return f"{limit.name}:{digest[:40]}"


def _window_start(limit: Limit, now):
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % limit.seconds, tz=UTC)


def allow(limit: Limit, client: str | None) -> bool:
    """Count one request of `client`; False once it has made more than the limit in the window."""
    now = clock()
    key, start = _key(limit, client or "unknown"), _window_start(limit, now)
    with transaction.atomic():
        counted = RateCounter.objects.filter(key=key, window_start=start).update(
            count=F("count") + 1
        )
        if not counted:
            try:
                with transaction.atomic():
                    RateCounter.objects.create(key=key, window_start=start, count=1)
            except IntegrityError:  # another process opened the window first
                RateCounter.objects.filter(key=key, window_start=start).update(count=F("count") + 1)
            else:
                RateCounter.objects.filter(window_start__lt=now - KEEP).delete()
        count = RateCounter.objects.get(key=key, window_start=start).count
    return count <= limit.count
