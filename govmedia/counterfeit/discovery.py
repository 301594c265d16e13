"""discover_counterfeits: search each platform for the names of the registered accounts and the
district's place names, and open a case for every account that scores above the threshold.

Runs daily (schedules.py) and from the list page's button. Accounts already under a case (or
excluded by a person) are only marked as seen again; the genuine accounts are skipped. A platform
that fails or rate-limits is recorded in the run and left until the next run, so one platform's
outage never stops the others.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from govmedia.platforms.base import NotFound, PlatformError, RateLimited
from govmedia.registry.models import Platform

from . import platform_access, scoring, selectors, services
from .models import DiscoveryRun, SuspectAccount, SuspectSource, SuspectState

DEFAULT_THRESHOLD = 50


def threshold() -> int:
    return int(getattr(settings, "COUNTERFEIT_THRESHOLD", DEFAULT_THRESHOLD))


def keywords(registry: list[scoring.Registered], places: tuple[str, ...]) -> list[str]:
    """What to search for: each registered name, each place name, and what follows a place name
    in a registered name (发布 of 天中发布), so that an impostor who swaps the place for a homophone
    (田中发布) is found by a platform search that matches text."""
    names = sorted({entry.name.strip() for entry in registry if entry.name.strip()})
    rests = []
    for name in names:
        for place in places:
            if name.startswith(place) and len(name) - len(place) >= 2:
                rests.append(name[len(place) :])
    return list(dict.fromkeys([*names, *places, *sorted(rests)]))


def _candidate(code: str, profile) -> scoring.Candidate:
    known = getattr(profile, "verification_known", True)
    return scoring.Candidate(
        platform=code,
        handle=profile.handle,
        display_name=profile.display_name,
        verified=bool(profile.verified),
        verified_reason=profile.verified_reason or "",
        verification_known=known,
    )


def _search(client, keyword: str, run: DiscoveryRun, platform: Platform):
    """The profiles found for one keyword; None when the platform should be left for now."""
    try:
        return client.search_accounts(keyword)
    except NotFound:
        return []
    except RateLimited as exc:
        run.errors.append(f"{platform.name}：{exc.message}（本轮停止搜索该平台）")
        return None
    except PlatformError as exc:
        run.errors.append(f"{platform.name}：{exc.message}（本轮停止搜索该平台）")
        return None


def _known_cases(platform: Platform) -> set[str]:
    return set(
        SuspectAccount.objects.filter(platform=platform)
        .exclude(state=SuspectState.CLOSED)
        .exclude(handle="")
        .values_list("handle", flat=True)
    )


def _search_platform(run, platform, client, words, context, limit) -> None:
    known, handled = _known_cases(platform), set()
    for keyword in words:
        profiles = _search(client, keyword, run, platform)
        if profiles is None:
            return
        for profile in profiles:
            run.profiles_seen += 1
            if not profile.handle or profile.handle in handled:
                continue
            handled.add(profile.handle)
            assessment = scoring.assess(
                _candidate(platform.code, profile), context.registry, context.places
            )
            if assessment.genuine or assessment.score < limit:
                continue
            if profile.handle in known:
                SuspectAccount.objects.filter(platform=platform, handle=profile.handle).exclude(
                    state=SuspectState.CLOSED
                ).update(last_seen_at=timezone.now())
                run.cases_updated += 1
                continue
            result = services.suspect_create(
                actor=None,
                platform=platform,
                handle=profile.handle,
                display_name=profile.display_name,
                verified=bool(profile.verified)
                if getattr(profile, "verification_known", True)
                else None,
                verified_reason=profile.verified_reason or "",
                source=SuspectSource.SEARCH,
                description=f"在{platform.name}搜索“{keyword}”时发现",
                context=context,
            )
            run.cases_created += int(result.created)
            run.cases_updated += int(not result.created)


def discover(*, started_by=None) -> DiscoveryRun:
    run = DiscoveryRun.objects.create(started_by=started_by)
    context = selectors.scoring_context()
    words = keywords(context.registry, context.places)
    run.keywords = len(words)
    limit = threshold()
    for code in platform_access.searchable_codes():
        platform = Platform.objects.filter(code=code, is_active=True).first()
        client = platform_access.client_for(code)
        if platform is None or client is None or not platform_access.searches(client):
            continue  # not connected, or its account search is switched off
        _search_platform(run, platform, client, words, context, limit)
    run.finished_at = timezone.now()
    with transaction.atomic():
        run.save()
    return run


def discover_counterfeits(started_by_id: int | None = None) -> str:
    """The django-q task (scheduled daily, or queued by an administrator)."""
    from govmedia.users.models import User

    started_by = User.objects.filter(pk=started_by_id).first() if started_by_id else None
    run = discover(started_by=started_by)
    summary = (
        f"搜索 {run.keywords} 个关键词，查看 {run.profiles_seen} 个账号，"
        f"新发现 {run.cases_created} 条线索，再次发现 {run.cases_updated} 条"
    )
    if run.errors:
        summary += "；" + "；".join(run.errors)
    return summary
