from django.conf import settings
from django.urls import reverse

from .navigation import NAVIGATION, count_for
from .scope import may


def platform(request):
    user = getattr(request, "user", None)
    sections = []
    active = None
    if user is not None and user.is_authenticated:
        for title, items in NAVIGATION:
            visible = [
                {
                    "key": item.key,
                    "label": item.label,
                    "url": reverse(item.url_name)
                    if item.url_name
                    else reverse("core:planned", args=[item.key]),
                    "built": item.url_name is not None,
                    "count": count_for(item.key, user) if item.url_name else 0,
                }
                for item in items
                if item.action is None or may(user, item.action)
            ]
            if visible:
                sections.append({"title": title, "items": visible})
        active = active_item([i for s in sections for i in s["items"]], request.path)
    return {
        "district_name": settings.DISTRICT_NAME,
        "nav_sections": sections,
        "active_nav": active,
    }


def active_item(items: list[dict], path: str) -> str | None:
    """The item whose page the path lies under: the longest matching URL prefix wins, so that
    /registry/filings/7/ is 备案管理 while /registry/accounts/7/ is 政务新媒体 (/registry/).
    The home page ("/") is active only on itself."""
    best, best_length = None, 0
    for item in items:
        url = item["url"]
        if not item["built"] or (url == "/" and path != "/"):
            continue
        if path.startswith(url) and len(url) > best_length:
            best, best_length = item["key"], len(url)
    return best
