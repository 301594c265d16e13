"""The one filter of the service-link list, shared by its page, its Excel export and the API."""

from govmedia.core.numbers import optional_id

from .models import LinkKind


def filter_links(queryset, params):
    """`account`, `org` (the host unit, its subtree), `kind`, `health` (broken, ok, unchecked),
    `q` (name, service or address)."""
    if (account_id := optional_id(params.get("account") or "")) is not None:
        queryset = queryset.filter(account_id=account_id)
    if (org_id := optional_id(params.get("org") or "")) is not None:
        queryset = queryset.filter(account__host_org_id=org_id)
    kind = params.get("kind") or ""
    if kind in LinkKind.values:
        queryset = queryset.filter(kind=kind)
    health = params.get("health") or ""
    if health == "broken":
        queryset = queryset.exclude(last_outcome__in=("", "ok", "uncheckable"))
    elif health == "ok":
        queryset = queryset.filter(last_outcome="ok")
    elif health == "unchecked":
        queryset = queryset.filter(last_outcome__in=("", "uncheckable"))
    q = (params.get("q") or "").strip()[:100]
    if q:
        from django.db.models import Q

        queryset = queryset.filter(
            Q(name__icontains=q) | Q(service_name__icontains=q) | Q(url__icontains=q)
        )
    return queryset
