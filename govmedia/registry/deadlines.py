"""Filing deadlines: the event date plus the working days of the form's 备注 1 and 2.

Deadlines are stored on each filing (due_on, due_provisional); `recompute_open_filings` brings the
stored values of filings still in progress up to date when the calendar changes.
"""

from datetime import date

from govmedia.workdays.calendar import deadline
from govmedia.workdays.engine import Deadline

from .models import FILING_DEADLINE_WORKDAYS, Filing, FilingState


def filing_deadline(kind: str, event_date: date) -> Deadline:
    return deadline(event_date, FILING_DEADLINE_WORKDAYS[kind])


def recompute_open_filings() -> int:
    """Recompute the deadlines of filings not yet 已备案; returns how many changed."""
    changed = []
    open_filings = Filing.objects.exclude(state=FilingState.FILED).only(
        "id", "kind", "event_date", "due_on", "due_provisional"
    )
    for filing in open_filings.iterator(chunk_size=2000):
        fresh = filing_deadline(filing.kind, filing.event_date)
        if (fresh.date, fresh.provisional) != (filing.due_on, filing.due_provisional):
            filing.due_on, filing.due_provisional = fresh.date, fresh.provisional
            changed.append(filing)
    Filing.objects.bulk_update(changed, ["due_on", "due_provisional"], batch_size=1000)
    return len(changed)
