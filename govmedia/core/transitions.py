"""Explicit state machines: a lifecycle with a few states is a table of guarded transitions.

Filings, rectification items and counterfeit cases each declare a TransitionTable; a service
looks its transition up with `check`, which refuses, in Chinese, an action the current state
does not allow (most often because someone else acted first).
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from .errors import Conflict


@dataclass(frozen=True)
class Transition:
    action: str
    label: str  # the verb shown on buttons and in errors: 提交, 退回 …
    sources: frozenset[str]
    target: str
    permission: str = ""  # the role action it needs, where the table decides that


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

    def check(self, obj, action: str) -> Transition:
        """The transition for `action`, if `obj.state` allows it; Conflict otherwise."""
        transition = self._by_action[action]
        if obj.state not in transition.sources:
            raise Conflict(
                f"该{self.noun}当前为“{obj.get_state_display()}”，不能{transition.label}"
                "（可能已被他人处理，请刷新）"
            )
        return transition

    def allowed(self, state: str) -> list[Transition]:
        return [t for t in self._by_action.values() if state in t.sources]
