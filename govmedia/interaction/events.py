"""What interaction tells the apps above it (govmedia.core.events)."""

from govmedia.core.events import Event

# Messages were stored for the first time — pulled comments (a re-pulled comment is not stored
# again, so it is not published again) and messages entered by hand or imported: published
# inside the storing transaction; `message_ids` are interaction.Message ids. opinion evaluates
# them against its subscriptions after commit.
MESSAGES_STORED = Event("interaction.messages_stored", carries=("message_ids",))
