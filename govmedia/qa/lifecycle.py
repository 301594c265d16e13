"""Two small state machines of the library, read by the services (to refuse) and the pages (to
offer): a revision's review (待审核 → 已通过 or 已退回), and an entry's use (已发布 ⇄ 已停用).

The district office reviews: the library is one district-wide authority shared with the
政府网站集约化平台, so one reviewer keeps answers consistent between units; and nobody approves
a revision they wrote themselves (谁审核、谁负责).
"""

from govmedia.core.errors import Forbidden
from govmedia.core.scope import may
from govmedia.core.transitions import Transition, TransitionTable

from .models import EntryState, RevisionState


def may_review(actor, revision) -> None:
    if not may(actor, "qa.review"):
        raise Forbidden("答问条目由区政府办公室审核发布，您无权审核")


def may_approve(actor, revision) -> None:
    may_review(actor, revision)
    if revision.author_id == actor.pk:
        raise Forbidden("不能审核自己提交的修订（谁审核、谁负责）")


REVIEW = TransitionTable(
    "答问条目修订",
    Transition(
        "approve",
        "审核通过并发布",
        frozenset({RevisionState.PENDING}),
        RevisionState.APPROVED,
        guard=may_approve,
    ),
    Transition(
        "reject",
        "退回修改",
        frozenset({RevisionState.PENDING}),
        RevisionState.REJECTED,
        guard=may_review,
    ),
)


def may_withdraw(actor, entry) -> None:
    if not may(actor, "qa.review"):
        raise Forbidden("停用或恢复答问条目须由区政府办公室办理")


USE = TransitionTable(
    "答问条目",
    Transition(
        "withdraw",
        "停用",
        frozenset({EntryState.PUBLISHED}),
        EntryState.WITHDRAWN,
        guard=may_withdraw,
    ),
    Transition(
        "restore",
        "恢复发布",
        frozenset({EntryState.WITHDRAWN}),
        EntryState.PUBLISHED,
        guard=may_withdraw,
    ),
)
