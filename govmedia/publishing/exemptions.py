"""Reposts the district office exempted from review (免审转载), as publishing sees them.

A repost is content of the account that publishes it: like any post, it is proved reviewed by
matching an approved revision of an article that targeted the account (for a repost task, the
转载 draft made from the task and reviewed by the unit's flow for the 转载 content class). The
one exception is a repost task the district office issued *exempted from review*: a post of a
target account that reposts that task's source, published after the task was issued, is no
未经审核发布 finding (PostMatch state 免审转载).

Publishing may not import coordination (a higher app), so coordination registers a provider
here (CoordinationConfig.ready) that names, for some accounts, the exempt sources; unapproved.py
judges a post against them, in repost mode, only when no approved revision matches it.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class ExemptSource:
    key: str  # unique among an account's exempt sources, e.g. "repost-campaign:12"
    label: str  # shown in the verdict's reason
    text: str
    html: bool
    since: datetime  # a post published before this is not covered by the exemption


Provider = Callable[[set[int]], dict[int, list[ExemptSource]]]
_providers: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def exempt_sources(account_ids: Iterable[int]) -> dict[int, list[ExemptSource]]:
    """account id → its exempt sources, from every registered provider."""
    ids = set(account_ids)
    found: dict[int, list[ExemptSource]] = {}
    if not ids:
        return found
    for provider in _providers:
        for account_id, sources in provider(ids).items():
            found.setdefault(account_id, []).extend(sources)
    return found
