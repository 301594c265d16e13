"""What the 稿件审核 pages share: scoped lookups, the tabs with the inbox count, the inline
highlighting of a revision's screening findings (the 内容审查 page's), breadcrumbs."""

from django.urls import reverse

from govmedia.core.errors import ServiceError
from govmedia.core.forms import add_service_error
from govmedia.core.numbers import int_or_none
from govmedia.core.scope import get_scoped, may
from govmedia.screening.engine import Finding
from govmedia.screening.highlight import highlighted_html

from .. import findings as screening
from ..forms import BASIS
from ..models import Article
from ..selectors import waiting_count


def article_or_404(user, article_id, action="view") -> Article:
    return get_scoped(
        Article.objects.alive().select_related("org", "author", "current_revision"),
        user,
        article_id,
        action,
    )


def as_findings(stored: list[dict], where: str) -> list[Finding]:
    """The stored findings (dicts) of one text as the engine's Findings, for highlighted_html."""
    return [
        Finding(
            category=f["category"],
            rule=f["rule"],
            severity=f["severity"],
            start=f["start"],
            end=f["end"],
            matched=f["matched"],
            suggestion=f.get("suggestion", ""),
            basis=f.get("basis", ""),
        )
        for f in stored
        if f["where"] == where
    ]


def screened(title: str, body_text: str, stored: list[dict]) -> dict:
    """The title and body with their findings marked, and the findings listed (block first)."""
    ordered = sorted(stored, key=lambda f: (f["severity"] != "block", f["where"], f["start"]))
    return {
        "title_html": highlighted_html(title, as_findings(stored, "title")),
        "body_html": highlighted_html(body_text, as_findings(stored, "body")),
        "findings": [f | {"where_label": screening.WHERE_LABELS.get(f["where"])} for f in ordered],
        "blocks": screening.blocking(stored),
        "warnings": screening.warnings(stored),
    }


def tabs(user, tab: str) -> dict:
    """The tabs of the 稿件审核 pages; the inbox tab shows how many steps wait (one count)."""
    return {
        "tab": tab,
        "inbox_count": waiting_count(user),
        "can_review": may(user, "publishing.review"),
        "can_flows": may(user, "publishing.flows"),
        "can_grants": may(user, "publishing.grants"),
        "can_write": may(user, "publishing.write"),
        "basis": BASIS,
    }


def crumbs(*extra):
    return [("稿件审核", reverse("publishing:articles")), *extra]


def show_error(form, exc: ServiceError) -> None:
    add_service_error(form, exc)


def version_of(request) -> int:
    version = int_or_none(request.POST.get("version", ""))
    return -1 if version is None else version
