"""传播力: monthly figures of one account and the influence index, pure (no Django).

The index is the 清博 WCI as REFERENCE.md gives its V14.2 definition, named as such on every
page that shows it: four parts — overall 60 %, per article 20 %, headline 10 %, peak 10 % —
each 0.70·ln(reads + 1) + 0.09·ln(10·在看 + 1) + 0.06·ln(10·likes + 1) + 0.15·ln(10·shares + 1),
and WCI = (weighted sum)² × 1.2 × 10. The platforms' clients report reads, likes, shares and
comments; none reports 在看, so that term is ln(1) = 0 throughout (said on the page). The same
formula is applied per platform and accounts are ranked only against their own platform:
a 微博 read is not a 公众号 read.

Overall: the month's totals. Per article: totals divided by the number of posts. Headline:
the first post of each day (a 公众号's 头条), summed. Peak: the single post with the most reads
(its likes and shares with it).
"""

import math
from dataclasses import dataclass, field
from datetime import date, datetime

WEIGHTS = {"overall": 0.60, "article": 0.20, "headline": 0.10, "peak": 0.10}
TERMS = {"reads": 0.70, "looks": 0.09, "likes": 0.06, "shares": 0.15}
FORMULA_NAME = "清博指数 WCI（V14.2 定义，见 REFERENCE.md）"


@dataclass(frozen=True)
class Engagement:
    reads: float = 0
    looks: float = 0  # 在看: not reported by any platform client
    likes: float = 0
    shares: float = 0

    def part(self) -> float:
        return (
            TERMS["reads"] * math.log(self.reads + 1)
            + TERMS["looks"] * math.log(10 * self.looks + 1)
            + TERMS["likes"] * math.log(10 * self.likes + 1)
            + TERMS["shares"] * math.log(10 * self.shares + 1)
        )


def wci(overall: Engagement, article: Engagement, headline: Engagement, peak: Engagement) -> float:
    total = (
        WEIGHTS["overall"] * overall.part()
        + WEIGHTS["article"] * article.part()
        + WEIGHTS["headline"] * headline.part()
        + WEIGHTS["peak"] * peak.part()
    )
    return total**2 * 1.2 * 10


@dataclass
class MonthAccumulator:
    """Fed the month's posts of one account in publication order."""

    posts: int = 0
    reads: int = 0
    likes: int = 0
    shares: int = 0
    comments: int = 0
    headline: list = field(default_factory=lambda: [0, 0, 0])  # reads, likes, shares
    peak: tuple = (-1, 0, 0)
    _days: set = field(default_factory=set)

    def add(self, published_at: datetime, metrics: dict) -> None:
        reads = _count(metrics, "reads")
        likes = _count(metrics, "likes")
        shares = _count(metrics, "shares")
        self.posts += 1
        self.reads += reads
        self.likes += likes
        self.shares += shares
        self.comments += _count(metrics, "comments")
        day: date = published_at.date()
        if day not in self._days:
            self._days.add(day)
            self.headline[0] += reads
            self.headline[1] += likes
            self.headline[2] += shares
        if reads > self.peak[0]:
            self.peak = (reads, likes, shares)

    def index(self) -> float:
        if not self.posts:
            return 0.0
        n = self.posts
        peak_reads, peak_likes, peak_shares = self.peak
        return wci(
            Engagement(self.reads, 0, self.likes, self.shares),
            Engagement(self.reads / n, 0, self.likes / n, self.shares / n),
            Engagement(*self.headline[:1], 0, *self.headline[1:]),
            Engagement(max(peak_reads, 0), 0, peak_likes, peak_shares),
        )


def _count(metrics: dict, key: str) -> int:
    value = (metrics or {}).get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return 0
    return max(int(value), 0)
