"""Long work a page starts and then waits for (立即采集, 立即扫描各平台): the page shows a progress
line that asks the server every two seconds (htmx, templates/includes/progress.html) whether the
work asked for has finished; when it has, htmx reloads the page at an address that shows the
result and its count.

The click is remembered in the address, not in the session, so a reload or a second tab asks
the same question: `after`, the newest run's id at the click (the run that answers it has a
larger one; ids, unlike the clocks of a web server and a worker, never disagree), and `since`,
the moment of the click, for the seconds waited and for giving up."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from django.http import HttpResponse
from django.utils import timezone

# How long the page keeps asking: the scheduled tick runs every minute, a scan of every
# platform takes a few minutes.
GIVE_UP_AFTER = timedelta(minutes=15)
MAX_DIGITS = 18


@dataclass(frozen=True)
class Click:
    after: int  # the newest run's id when the work was asked for
    at: datetime

    def query(self) -> str:
        return urlencode({"after": self.after, "since": int(self.at.timestamp())})

    def waited(self, now: datetime | None = None) -> int:
        """Whole seconds since the click (never negative)."""
        return max(0, int(((now or timezone.now()) - self.at).total_seconds()))

    def gave_up(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) - self.at > GIVE_UP_AFTER


def click(last_run_id: int | None, now: datetime | None = None) -> Click:
    return Click(after=last_run_id or 0, at=now or timezone.now())


def clicked(request) -> Click | None:
    """The click from the address, or None when absent or not sane numbers."""
    after, since = request.GET.get("after", ""), request.GET.get("since", "")
    if not (after.isdigit() and since.isdigit()) or max(len(after), len(since)) > MAX_DIGITS:
        return None
    try:
        at = datetime.fromtimestamp(int(since), tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return Click(after=int(after), at=at)


def finished(url: str) -> HttpResponse:
    """Tell the polling page the work is done: htmx loads `url`, which shows the result."""
    response = HttpResponse()
    response["HX-Redirect"] = url
    return response
