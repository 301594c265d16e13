"""Who must hear that the calendar changed: apps that store deadlines computed from it.

DESIGN.md stores time limits on their rows; when the administrators enter a year's schedule or an
override, those stored deadlines must follow in the same transaction. An app registers its
recompute function here from its AppConfig.ready(); the workdays app does not import them.
"""

from collections.abc import Callable

_listeners: list[Callable[[], None]] = []


def register(listener: Callable[[], None]) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def calendar_changed() -> None:
    """Run every listener inside the calendar service's transaction."""
    for listener in _listeners:
        listener()
