"""Explicit state machines: a lifecycle with a few states is a table of guarded transitions.

Filings, rectification items and counterfeit cases each declare a TransitionTable. A transition
names the states it leaves and its guard: who may take it, on which object. A service takes a
transition with `check(obj, action, actor)`, which refuses, in Chinese, an action the current
state does not allow (most often because someone else acted first) and then asks the guard; a
page asks `offered(obj, actor)` for the buttons to show. Both read the same row, so a button is
never shown for an act the service would refuse on permission grounds, nor the reverse.
"""

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from .errors import Conflict, ServiceError

# A guard raises a ServiceError (most often Forbidden) saying why this actor may not act on this
# object, and returns None when they may.
Guard = Callable[[object, object], None]


def no_guard(actor, obj) -> None:
    return None


@dataclass(frozen=True)
class Transition:
    action: str
    label: str  # the verb shown on buttons and in errors: 提交, 退回 …
    sources: frozenset[str]
    target: str
    guard: Guard = no_guard


class TransitionTable(Mapping):
    """The transitions of one kind of object, by action."""

    def __init__(self, noun: str, *transitions: Transition):
        self.noun = noun  # 备案, 整改事项 …: names the object in error messages
        self._by_action = {t.action: t for t in transitions}

    def __getitem__(self, action: str) -> Transition:
        return self._by_action[action]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_action)

    def __len__(self) -> int:
        return len(self._by_action)

    def check(self, obj, action: str, actor=None) -> Transition:
        """The transition for `action`, if `obj.state` allows it (Conflict otherwise) and, when
        an actor is given, its guard lets that actor take it (the guard's error otherwise)."""
        transition = self._by_action[action]
        if obj.state not in transition.sources:
            raise Conflict(
                f"该{self.noun}当前为“{obj.get_state_display()}”，不能{transition.label}"
                "（可能已被他人处理，请刷新）"
            )
        if actor is not None:
            transition.guard(actor, obj)
        return transition

    def offered(self, obj, actor) -> list[str]:
        """The actions this actor may take on the object now, in table order."""
        offered = []
        for transition in self._by_action.values():
            if obj.state not in transition.sources:
                continue
            try:
                transition.guard(actor, obj)
            except ServiceError:
                continue
            offered.append(transition.action)
        return offered
