"""What publishing tells the apps above it (govmedia.core.events)."""

from govmedia.core.events import Event

# A review run ended with a decision (approved, returned or rejected): published inside the
# deciding transaction. coordination follows the district articles of its 发布申请 with it.
REVIEW_FINISHED = Event(
    "publishing.review_finished", carries=("article_id", "state", "reason", "actor")
)
