from django.conf import settings
from django.urls import reverse

from .navigation import NAVIGATION
from .scope import may


def platform(request):
    user = getattr(request, "user", None)
    sections = []
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
                }
                for item in items
                if item.action is None or may(user, item.action)
            ]
            if visible:
                sections.append({"title": title, "items": visible})
    return {"district_name": settings.DISTRICT_NAME, "nav_sections": sections}
