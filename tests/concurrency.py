"""Two or more actions at the same moment, as two workers or two clicks would do them.

`race` runs each action in its own thread, each thread with its own database connection, and
starts them together on a barrier, so they really overlap: on PostgreSQL the second waits for the
first's row lock or unique index; on SQLite the IMMEDIATE transactions serialize them. Use it in
`@pytest.mark.django_db(transaction=True)` tests: a thread sees only committed rows.
"""

import threading
from collections.abc import Callable
from typing import Any

from django.db import connections

from govmedia.core.errors import ServiceError

# Guards against a hung thread, not timing assertions: on a loaded machine a thread may take
# long to get going or to finish, and that must not fail the test; only a hang does.
START_GUARD_SECONDS = 60
FINISH_GUARD_SECONDS = 300


def race(*actions: Callable[[], Any]) -> list[Any]:
    """Run the actions at once; return, in the order given, what each returned or raised.

    A raised exception is returned as the exception object: which of two racers loses is the
    point of most of these tests, so losing is an outcome, not an error.
    """
    barrier = threading.Barrier(len(actions))
    outcomes: list[Any] = [None] * len(actions)

    def run(index: int, action: Callable[[], Any]) -> None:
        try:
            barrier.wait(START_GUARD_SECONDS)
            outcomes[index] = action()
        except BaseException as exc:  # noqa: BLE001 - handed back to the test as the outcome
            outcomes[index] = exc
        finally:
            connections.close_all()  # this thread's connections: Django opened one per thread

    threads = [
        threading.Thread(target=run, args=(index, action), name=f"race-{index}")
        for index, action in enumerate(actions)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(FINISH_GUARD_SECONDS)
    hung = [thread.name for thread in threads if thread.is_alive()]
    assert not hung, f"{hung} did not finish within {FINISH_GUARD_SECONDS} s"
    return outcomes


def returned(outcomes: list[Any]) -> list[Any]:
    """What each action returned; the first exception any raised is raised again, traceback
    and all, for the actions that must all succeed."""
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome
    return outcomes


def codes(outcomes: list[Any]) -> list[Any]:
    """Each outcome, a ServiceError replaced by its code (what the API would answer with); any
    other exception is raised again."""
    return returned([exc.code if isinstance(exc, ServiceError) else exc for exc in outcomes])
