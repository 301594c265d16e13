"""Keeping derived data current after a change: lower apps publish, higher apps subscribe.

A lower app declares the events it publishes (orgs: ORGS_CHANGED; registry: ACCOUNTS_CHANGED;
workdays: CALENDAR_CHANGED; monitoring: POSTS_INGESTED; interaction: MESSAGES_STORED) and its
services publish them inside their transaction. A higher app
subscribes from its AppConfig.ready(), so the publisher never imports it. Each subscriber runs at
once, inside the publisher's transaction, and decides there where its work belongs: in the same
transaction (stored deadlines that must follow a calendar change) or after commit (findings
recomputed by a background task, never on a rolled-back change).

Not Django signals: subscribers are held strongly and named in one place per event, and an
event states the keyword arguments it carries.
"""

from collections.abc import Callable


class Event:
    def __init__(self, name: str, *, carries: tuple[str, ...] = ()):
        self.name = name
        self.carries = frozenset(carries)
        self._subscribers: list[Callable[..., None]] = []

    def subscribe(self, handler: Callable[..., None]) -> None:
        if handler not in self._subscribers:
            self._subscribers.append(handler)

    def publish(self, **payload) -> None:
        unknown = set(payload) - self.carries
        if unknown:
            raise TypeError(f"event {self.name} carries no {sorted(unknown)}")
        for handler in self._subscribers:
            handler(**payload)

    def __repr__(self) -> str:
        return f"Event({self.name!r})"
