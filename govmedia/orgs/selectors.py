"""Reads of the org tree that are more than a filter."""

from django.db.models import Q

from .models import Organization, OrgStatus
from .ordering import in_tree_order


def tree_rows(
    user, *, query: str = "", include_inactive: bool = False
) -> tuple[list[Organization], set[int]]:
    """The visible orgs in tree order (one query; ordering.py), and the ids that match the search.

    With a search, each match comes with its ancestors, so it is shown where it sits in the tree.
    """
    orgs = Organization.objects.restrict(user).only(
        "id",
        "name",
        "org_type",
        "status",
        "path",
        "depth",
        "parent_id",
        "credit_code",
        "merged_into_id",
        "sort_order",
    )
    if not include_inactive:
        orgs = orgs.filter(status=OrgStatus.ACTIVE)
    rows = in_tree_order(list(orgs))
    query = query.strip()
    if not query:
        return rows, set()
    matches = {o.pk for o in rows if query in o.name or query.upper() == o.credit_code}
    keep = set(matches)
    for org in rows:
        if org.pk in matches:
            keep.update(org.ancestor_ids())
    return [o for o in rows if o.pk in keep], matches


def search_q(query: str) -> Q:
    return Q(name__icontains=query) | Q(credit_code__iexact=query.upper())
