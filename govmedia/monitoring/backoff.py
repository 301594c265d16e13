"""When an account is pulled next, after a pull: pure arithmetic on the outcome.

A success waits the platform's interval. Rate limiting waits what the platform asked (or a
quarter of the interval). A platform that is down is retried sooner, doubling with each failure
up to the interval, with jitter so that accounts that failed together do not return together.
Bad credentials, a vanished account or a refused request parameter wait the full interval: a
person must act first (asking again sooner sends the same request and gets the same refusal).
"""

import random
from datetime import datetime, timedelta

from govmedia.platforms.base import (
    BadCredentials,
    NotFound,
    ParameterError,
    PlatformError,
    PlatformUnavailable,
    RateLimited,
)

RETRY_BASE = timedelta(minutes=2)


def next_due(
    *,
    now: datetime,
    interval: timedelta,
    error: PlatformError | None,
    failures: int,
    rng: random.Random | None = None,
) -> datetime:
    """`failures` counts the failures in a row including this one (0 after a success)."""
    rng = rng or random
    if error is None:
        return now + interval
    if isinstance(error, RateLimited):
        wait = (
            timedelta(seconds=error.retry_after) if error.retry_after else interval / 4
        ) + timedelta(seconds=rng.uniform(0, 30))
        return now + min(wait, interval * 4)
    if isinstance(error, (BadCredentials, NotFound, ParameterError)):
        return now + interval
    # PlatformUnavailable, and anything unexpected: retry soon, backing off.
    if not isinstance(error, PlatformUnavailable):
        failures = max(failures, 2)
    wait = min(RETRY_BASE * 2 ** max(failures - 1, 0), interval)
    return now + wait * rng.uniform(0.75, 1.25)
