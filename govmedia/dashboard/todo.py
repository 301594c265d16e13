"""The 工作台's to-do list, gathered from each app's provider (core.todo). To add an app's work,
write its `items(user, *, today)` and list it here."""

from datetime import date

from govmedia.coordination import todo as coordination
from govmedia.core.todo import TodoItem, TodoKind, sort_key
from govmedia.counterfeit import todo as counterfeit
from govmedia.interaction import todo as interaction
from govmedia.monitoring import todo as monitoring
from govmedia.publishing import todo as publishing
from govmedia.registry import todo as registry

PROVIDERS = (
    registry.items,
    monitoring.items,
    counterfeit.items,
    publishing.items,
    coordination.items,
    interaction.items,
)

# Beside the navigation items, the count of what waits for the user's hand there.
NAV_COUNTERS = {
    "filings": registry.waiting_count,
    "rectification": monitoring.waiting_count,
    "counterfeit": counterfeit.waiting_count,
}


def todo_items(user, *, today: date) -> dict[TodoKind, list[TodoItem]]:
    """Every provider's lines for the user, by kind, most urgent first."""
    grouped: dict[TodoKind, list[TodoItem]] = {kind: [] for kind in TodoKind}
    for provider in PROVIDERS:
        for item in provider(user, today=today):
            grouped[item.kind].append(item)
    return {kind: sorted(lines, key=sort_key) for kind, lines in grouped.items()}
