"""Reads of the lexicon: the filtered list a user may see, and the owners to filter by."""

from django.db.models import F, Q

from govmedia.core.numbers import optional_id
from govmedia.orgs.models import Organization

from .models import CATEGORY_LABELS, SEVERITY_LABELS, LexiconTerm

DISTRICT = "district"


def visible_terms(user):
    return LexiconTerm.objects.restrict(user, "view").select_related("owner_org")


def filtered_terms(user, *, q="", category="", severity="", owner="", active=""):
    """The lexicon rows the user may see, filtered as the list page and the API take it.

    Unknown filter values filter nothing rather than fail: they come from a URL.
    """
    terms = visible_terms(user)
    q = (q or "").strip()
    if q:
        terms = terms.filter(
            Q(term__icontains=q)
            | Q(suggestion__icontains=q)
            | Q(note__icontains=q)
            | Q(basis__icontains=q)
        )
    if category == "whitelist":
        terms = terms.filter(whitelist=True)
    elif category in {str(code) for code in CATEGORY_LABELS}:
        terms = terms.filter(category=category, whitelist=False)
    if severity in {str(code) for code in SEVERITY_LABELS}:
        terms = terms.filter(severity=severity, whitelist=False)
    if owner == DISTRICT:
        terms = terms.filter(owner_org__isnull=True)
    elif (owner_id := optional_id(owner)) is not None:
        terms = terms.filter(owner_org_id=owner_id)
    if active in ("1", "0"):
        terms = terms.filter(is_active=active == "1")
    # District-wide rows first on both databases (NULL sorts first in SQLite, last in PostgreSQL).
    return terms.order_by(F("owner_org__path").asc(nulls_first=True), "category", "term", "pk")


def owner_choices(user) -> list[tuple[str, str]]:
    """The units whose rows the user sees, for the owner filter."""
    owner_ids = visible_terms(user).filter(owner_org__isnull=False).values("owner_org_id")
    orgs = Organization.objects.filter(pk__in=owner_ids).order_by("path")
    return [(DISTRICT, "全区通用"), *((str(org.pk), org.name) for org in orgs)]
