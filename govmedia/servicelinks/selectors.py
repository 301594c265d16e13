"""Reads of 掌上办事入口: which links are broken (for assessment's 功能无法使用), and the 爱山东
coverage — which services are linked by which accounts, and which accounts link none."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from govmedia.registry.models import AccountStatus, MediaAccount

from .models import LinkFinding, LinkKind, ServiceLink


def broken_links(*, account_ids, at: datetime) -> dict[int, list[ServiceLink]]:
    """Per account, its active links whose latest check up to `at` found them broken, or that
    had a 功能无法使用 finding open at `at`."""
    ids = list(account_ids)
    links = ServiceLink.objects.active().filter(account_id__in=ids)
    broken = {
        link.pk: link
        for link in links.filter(last_checked_at__lte=at).exclude(
            last_outcome__in=("", "ok", "uncheckable")
        )
    }
    open_at = LinkFinding.objects.filter(account_id__in=ids, created_at__lte=at).exclude(
        confirmed_at__lte=at
    )
    for link in links.filter(pk__in=open_at.values("link_id")):
        broken.setdefault(link.pk, link)
    found: dict[int, list[ServiceLink]] = defaultdict(list)
    for link in sorted(broken.values(), key=lambda link: (link.account_id, link.name, link.pk)):
        found[link.account_id].append(link)
    return dict(found)


@dataclass(frozen=True)
class Coverage:
    services: list[tuple[str, list[ServiceLink]]]  # 爱山东 service name → the links to it
    without: list[MediaAccount]  # running accounts in scope linking no 爱山东 service


def ishandong_coverage(user) -> Coverage:
    links = (
        ServiceLink.objects.restrict(user)
        .active()
        .filter(kind=LinkKind.ISHANDONG)
        .select_related("account", "account__host_org", "account__platform")
        .order_by("service_name", "account__name")
    )
    services: dict[str, list[ServiceLink]] = defaultdict(list)
    for link in links:
        services[link.service_name].append(link)
    without = (
        MediaAccount.objects.restrict(user)
        .filter(status=AccountStatus.RUNNING)
        .exclude(pk__in=links.values("account_id"))
        .select_related("host_org", "platform")
        .order_by("host_org__path", "name")
    )
    return Coverage(sorted(services.items()), list(without))
