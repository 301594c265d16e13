"""Sections that higher apps add to an org's detail page (the registry lists the org's
accounts). orgs sits below those apps and cannot ask them, so each registers a renderer in its
AppConfig.ready(), as navigation counters do."""

from collections.abc import Callable

from django.utils.safestring import SafeString

# (request, org) → the section's HTML, or "" when there is nothing to show this user.
Section = Callable[[object, object], str]
_SECTIONS: list[Section] = []


def register_section(section: Section) -> None:
    if section not in _SECTIONS:
        _SECTIONS.append(section)


def detail_sections(request, org) -> list[SafeString]:
    return [html for section in _SECTIONS if (html := section(request, org))]
