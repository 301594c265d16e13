"""The filter of the article list: one definition, used by the API (/api/v1/publishing/articles)
and by the pages' list, so one search finds the same rows in both."""

from django.db.models import Q

from govmedia.core.filtering import Filter, FilterSet, choice, integer, q_any, text
from govmedia.registry.filters import subtree_q

from .models import ArticleState, ContentClass

ARTICLE_SEARCH = ("title", "current_revision__body_text")

ARTICLE_FILTERS = FilterSet(
    Filter("q", text, lambda v, c: q_any(ARTICLE_SEARCH, v)),
    Filter("state", choice(ArticleState.values), lambda v, c: Q(state=v)),
    Filter("content_class", choice(ContentClass.values), lambda v, c: Q(content_class=v)),
    # The page's box takes a unit's name; API clients pass its id (with its subtree).
    Filter("org", text, lambda v, c: Q(org__name__icontains=v)),
    Filter("org_id", integer, lambda v, c: subtree_q("org", v)),
    Filter("account_id", integer, lambda v, c: Q(targets__account_id=v)),
)
