"""The review inbox kept as rows (models.InboxEntry): who must decide which step under way.

The truth is the steps themselves: a step is waiting for a reviewer while it is active, its
article is not deleted, the reviewer is one of its reviewers and has not decided it yet.
`waiting()` states that once; `sync()` rewrites one article's rows from it and is called at the
end of every service that can change it (submit, decide, hand over, withdraw, revise, delete),
inside the same transaction and under the article's lock, so the rows are never stale and two
writers of one article never interleave. Reading the inbox is then a range scan of one index,
(user, due_at), instead of a join over every waiting step and an anti-join over decisions.
"""

from django.db.models import Exists, OuterRef

from .models import InboxEntry, ReviewDecision, ReviewRunStep, StepState

Assignment = ReviewRunStep.reviewers.through


def waiting():
    """(step, user) pairs waiting for a decision, as rows of the step-reviewer table."""
    decided = ReviewDecision.objects.filter(
        run_step_id=OuterRef("reviewrunstep_id"), reviewer_id=OuterRef("user_id")
    )
    return Assignment.objects.filter(
        reviewrunstep__state=StepState.ACTIVE,
        reviewrunstep__run__article__deleted_at__isnull=True,
    ).exclude(Exists(decided))


def _entries(pairs) -> list[InboxEntry]:
    return [
        InboxEntry(step_id=step_id, user_id=user_id, article_id=article_id, due_at=due_at)
        for step_id, user_id, article_id, due_at in pairs.values_list(
            "reviewrunstep_id", "user_id", "reviewrunstep__run__article_id", "reviewrunstep__due_at"
        )
    ]


def sync(article_id: int) -> None:
    """Rewrite the article's entries from its steps. Call under the article's lock."""
    InboxEntry.objects.filter(article_id=article_id).delete()
    InboxEntry.objects.bulk_create(
        _entries(waiting().filter(reviewrunstep__run__article_id=article_id))
    )


def rebuild(batch_size: int = 5000) -> int:
    """Rewrite every entry (after bulk loads, and in the migration that added them)."""
    InboxEntry.objects.all().delete()
    entries = _entries(waiting())
    InboxEntry.objects.bulk_create(entries, batch_size=batch_size)
    return len(entries)
