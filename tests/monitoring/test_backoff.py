"""When an account is pulled next after each kind of outcome (pure, no database)."""

import random
from datetime import UTC, datetime, timedelta

from govmedia.monitoring.backoff import next_due
from govmedia.platforms.base import (
    BadCredentials,
    NotFound,
    ParameterError,
    PlatformError,
    PlatformUnavailable,
    RateLimited,
)

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def due(error, failures=1, interval=2 * HOUR):
    return next_due(
        now=NOW, interval=interval, error=error, failures=failures, rng=random.Random(7)
    )


def test_success_waits_the_interval():
    assert due(None, failures=0) == NOW + 2 * HOUR


def test_rate_limit_waits_what_the_platform_asked():
    wait = due(RateLimited("限流", retry_after=600)) - NOW
    assert timedelta(seconds=600) <= wait <= timedelta(seconds=630)
    assert due(RateLimited("限流")) - NOW >= timedelta(minutes=30)  # a quarter of the interval
    assert due(RateLimited("限流", retry_after=10**7)) - NOW == 8 * HOUR  # capped


def test_platform_down_backs_off_with_jitter_up_to_the_interval():
    waits = [due(PlatformUnavailable("宕机"), failures=n) - NOW for n in (1, 2, 3, 4)]
    assert waits[0] < waits[1] < waits[2] < waits[3]
    assert waits[0] <= timedelta(minutes=2.5)
    assert due(PlatformUnavailable("宕机"), failures=20) - NOW <= 2 * HOUR * 1.25
    jittered = {
        next_due(now=NOW, interval=2 * HOUR, error=PlatformUnavailable("x"), failures=1)
        for _ in range(20)
    }
    assert len(jittered) > 1  # accounts that failed together do not return together


def test_a_person_must_act_first():
    assert due(BadCredentials("凭据错误")) == NOW + 2 * HOUR
    assert due(NotFound("账号不存在")) == NOW + 2 * HOUR
    assert due(PlatformError("意外")) > NOW


def test_a_refused_parameter_waits_the_interval_like_bad_credentials():
    assert due(ParameterError("参数不合法", code=2100005), failures=3) == NOW + 2 * HOUR
