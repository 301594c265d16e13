"""What monitoring tells the apps above it (govmedia.core.events)."""

from govmedia.core.events import Event

# Pulled posts were stored that are new, edited on the platform, or not yet screened: published
# inside the pull's transaction, right where rectify screens them; `post_ids` are monitoring.Post
# ids. publishing matches them to approved revisions after commit (先审后发).
POSTS_INGESTED = Event("monitoring.posts_ingested", carries=("post_ids",))
