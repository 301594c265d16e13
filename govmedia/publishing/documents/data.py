"""What the 信息发布审核单 shows, copied out of the database by publishing.printing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class SheetStep:
    """One reviewer's decision on one step (a step waiting for a decision has no reviewer
    decision yet: `decision` says 待审核 and the reviewer line lists who may decide)."""

    stage: str  # 初审 / 复审 / 终审, or the step's own name
    reviewer: str
    decision: str  # 通过 / 退回修改 / 驳回 / 待审核
    reason: str = ""
    checks: tuple[tuple[str, bool], ...] = ()  # (政治关, True) …: the four checks, in order
    decided_at: datetime | None = None  # local time


@dataclass(frozen=True)
class Acknowledgement:
    """A `warn` finding a reviewer passed, with their reason (提醒核实说明)."""

    matched: str  # the words the screening flagged
    category: str
    reviewer: str
    reason: str


@dataclass(frozen=True)
class ReviewSheetData:
    title: str
    unit_name: str
    article_no: str
    content_class: str
    accounts: tuple[str, ...]  # "天中发布（微信公众号）"
    revision_number: int
    revision_hash: str
    author: str
    submitted_by: str = ""
    submitted_at: datetime | None = None
    flow_name: str = ""
    result: str = ""  # the run's state: 已通过 / 审核中 / 已退回 …
    steps: tuple[SheetStep, ...] = ()
    acknowledgements: tuple[Acknowledgement, ...] = ()
    printed_on: date | None = None
    source_url: str = ""
    notes: tuple[str, ...] = field(default=())
