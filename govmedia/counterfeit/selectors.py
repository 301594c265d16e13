"""Reads of the counterfeit domain: what the scorer compares against, and the list filters."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q

from govmedia.core.numbers import optional_id
from govmedia.orgs.models import Organization, OrgType
from govmedia.registry.models import AccountStatus, MediaAccount

from . import scoring
from .models import SuspectSource, SuspectState


def registry_entries() -> list[scoring.Registered]:
    """Every live registered account (running or suspended), district-wide: a counterfeit of
    any unit's account is a counterfeit, whoever runs the check."""
    rows = (
        MediaAccount.objects.exclude(status=AccountStatus.CANCELLED)
        .order_by("pk")
        .values_list("pk", "platform__code", "platform__name", "handle", "name", "host_org__name")
    )
    return [
        scoring.Registered(
            platform=code,
            handle=handle,
            name=name,
            host_org=org_name,
            account_id=pk,
            platform_label=platform_name,
        )
        for pk, code, platform_name, handle, name, org_name in rows
    ]


def place_names() -> tuple[str, ...]:
    townships = Organization.objects.filter(org_type=OrgType.TOWNSHIP).values_list(
        "name", flat=True
    )
    return scoring.place_names_from(settings.DISTRICT_NAME, sorted(townships))


@dataclass(frozen=True)
class ScoringContext:
    """The registry and place names, read once for a batch (an import, a discovery run)."""

    registry: list[scoring.Registered]
    places: tuple[str, ...]


def scoring_context() -> ScoringContext:
    return ScoringContext(registry_entries(), place_names())


def assess(
    *,
    platform_code: str,
    handle: str,
    display_name: str,
    verified=None,
    reason="",
    context: ScoringContext | None = None,
):
    """Score a candidate; `verified` None means the platform does not say."""
    context = context or scoring_context()
    candidate = scoring.Candidate(
        platform=platform_code,
        handle=handle or "",
        display_name=display_name or "",
        verified=bool(verified),
        verified_reason=reason or "",
        verification_known=verified is not None,
    )
    return scoring.assess(candidate, context.registry, context.places)


def filter_suspects(queryset, params) -> tuple:
    """The list page's filters (state, platform, source, q), ignoring values that are not valid."""
    state = params.get("state", "")
    source = params.get("source", "")
    platform = params.get("platform", "")
    q = (params.get("q") or "").strip()[:50]
    filters = {
        "state": state if state in SuspectState.values or state == "open" else "",
        "source": source if source in SuspectSource.values else "",
        "platform": str(optional_id(platform) or ""),
        "q": q,
    }
    if filters["state"] == "open":
        queryset = queryset.open()
    elif filters["state"]:
        queryset = queryset.filter(state=filters["state"])
    if filters["source"]:
        queryset = queryset.filter(source=filters["source"])
    if filters["platform"]:
        queryset = queryset.filter(platform_id=optional_id(filters["platform"]))
    if q:
        queryset = queryset.filter(
            Q(display_name__icontains=q)
            | Q(handle__icontains=q)
            | Q(matched_account__name__icontains=q)
        )
    return queryset, filters
