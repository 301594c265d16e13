"""The lifecycle of a message (留言), a table of guarded transitions read by the services (to
refuse) and the pages (`offered(message, actor)`, to show the buttons).

    待分办 ─分办 (class confirmed, handler)→ 办理中 ─提交审核→ 待审核 ─答复→ 已答复 ─办结→ 已办结
                                            └──────────────答复 (no review needed)──┘
    办理中 / 待审核 ─退回 (to the district office, wrong unit)→ 待分办
    待分办 / 办理中 ─转办 (the district office, to another unit)→ 待分办
    待审核 ─修改答复 (the review returned it)→ 办理中
    待分办 / 办理中 ─无需答复 (with a reason)→ 已办结
"""

from govmedia.core.errors import Forbidden
from govmedia.core.scope import may, sees_whole_district
from govmedia.core.transitions import Transition, TransitionTable

from .models import Message, MessageState

S = MessageState


def within(actor, message: Message) -> bool:
    return sees_whole_district(actor) or (
        actor.org_id is not None and message.org.path.startswith(actor.org.path)
    )


def may_assign(actor, message: Message) -> None:
    if not may(actor, "interaction.assign") or not within(actor, message):
        raise Forbidden("只有承办单位的单位管理员或区政府办公室可以分办、退回留言")


def may_handle(actor, message: Message) -> None:
    if not may(actor, "interaction.handle") or not within(actor, message):
        raise Forbidden("只有承办单位的工作人员可以办理该留言")


def may_dispatch(actor, message: Message) -> None:
    if not may(actor, "interaction.dispatch"):
        raise Forbidden("转办须经区政府办公室")


MESSAGE = TransitionTable(
    "留言",
    Transition("assign", "分办", frozenset({S.NEW}), S.HANDLING, may_assign),
    Transition("submit", "提交审核", frozenset({S.HANDLING}), S.REVIEWING, may_handle),
    Transition("answer", "答复", frozenset({S.HANDLING, S.REVIEWING}), S.ANSWERED, may_handle),
    Transition("revise", "修改答复", frozenset({S.REVIEWING}), S.HANDLING, may_handle),
    Transition("close", "办结", frozenset({S.ANSWERED}), S.CLOSED, may_handle),
    Transition("dismiss", "无需答复", frozenset({S.NEW, S.HANDLING}), S.CLOSED, may_assign),
    Transition("return", "退回", frozenset({S.HANDLING, S.REVIEWING}), S.NEW, may_assign),
    Transition("transfer", "转办", frozenset({S.NEW, S.HANDLING}), S.NEW, may_dispatch),
)
