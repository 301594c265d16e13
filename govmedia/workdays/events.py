"""What the working-day calendar tells the apps that store deadlines computed from it."""

from govmedia.core.events import Event

# The schedule of a year or one day's override changed; published inside the calendar service's
# transaction, so stored deadlines follow in that same transaction.
CALENDAR_CHANGED = Event("workdays.calendar_changed")
