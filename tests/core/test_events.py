"""Lower apps publish, higher apps subscribe: the one mechanism for derived data."""

import pytest

from govmedia.core.events import Event


def test_subscribers_run_in_order_with_the_payload_once_each():
    event = Event("test.changed", carries=("ids",))
    seen = []
    event.subscribe(lambda *, ids: seen.append(("first", ids)))
    handler = lambda *, ids: seen.append(("second", ids))  # noqa: E731
    event.subscribe(handler)
    event.subscribe(handler)  # subscribing twice is once
    event.publish(ids=[3])
    assert seen == [("first", [3]), ("second", [3])]


def test_an_event_refuses_a_payload_it_does_not_declare():
    event = Event("test.changed", carries=("ids",))
    with pytest.raises(TypeError, match="carries no"):
        event.publish(org_ids=[1])


def test_the_apps_subscribe_at_startup():
    from govmedia.orgs.events import ORGS_CHANGED
    from govmedia.registry.events import ACCOUNTS_CHANGED
    from govmedia.workdays.events import CALENDAR_CHANGED

    assert ORGS_CHANGED._subscribers and ACCOUNTS_CHANGED._subscribers
    assert CALENDAR_CHANGED._subscribers  # registry recomputes stored filing deadlines
