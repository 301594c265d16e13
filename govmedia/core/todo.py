"""The 工作台's to-do list: each app says what waits for a user in its domain, as TodoItems.

An app adds its work with one provider function, `items(user, *, today) -> list[TodoItem]`
(e.g. `govmedia/registry/todo.py`), listed in `govmedia/dashboard/todo.py`. A provider answers
within the user's scope only (Model.objects.restrict) and with a bounded number of queries.
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class TodoKind(StrEnum):
    ACT = "act"  # waits for this user's hand: 待我办理
    WATCH = "watch"  # in the user's scope, someone else's to do, worth following: 督促
    ACCOUNT = "account"  # an account of the user's scope that needs attention (长期未更新、未备案)


@dataclass(frozen=True)
class TodoItem:
    kind: TodoKind
    label: str  # what to do, e.g. "主管单位审核"
    title: str  # the object, e.g. "开设备案：天中发布"
    link: str  # the page where it is done
    org_name: str = ""
    due_on: date | None = None  # the date it should be done by, if any
    overdue: bool = False
    due_soon: bool = False  # due within DUE_SOON_WORKDAYS working days
    note: str = ""
    # Objects behind the line (for tests and for de-duplicating): "registry.filing:17".
    ref: str = ""

    @property
    def urgent(self) -> bool:
        return self.overdue or self.due_soon


# "即将到期": due within this many working days (issue: two working days).
DUE_SOON_WORKDAYS = 2


def sort_key(item: TodoItem):
    """Overdue first, then by due date (undated last), then by title."""
    return (not item.overdue, item.due_on is None, item.due_on or date.max, item.title)
