"""/answers/: the public search of the Q&A library (no login). A citizen types a question and
reads the published answers valid today, with their policy basis.

Only an entry's public text leaves here (question, answer, basis, owner unit's name, valid
until): never who wrote or reviewed it, nor anything of a message. Searches are limited per
client address, counted in the database like /verify/ (counterfeit.ratelimit), 429 beyond it.
"""

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from govmedia.core.middleware import client_ip
from govmedia.counterfeit import ratelimit

from ..selectors import public_search

MIN_QUERY = 2
MAX_QUERY = 100


def search_limit() -> ratelimit.Limit:
    return ratelimit.Limit("qa-search", settings.QA_PUBLIC_SEARCH_PER_MINUTE, 60)


def _page(request, context: dict, status: int = 200):
    return render(
        request,
        "qa/public/search.html",
        context | {"hide_nav": True, "office": f"{settings.DISTRICT_NAME}人民政府办公室"},
        status=status,
    )


@never_cache
@require_http_methods(["GET"])
def search(request):
    query = " ".join((request.GET.get("q") or "").split())[:MAX_QUERY]
    results, error = None, ""
    if "q" in request.GET:
        limit = search_limit()
        if not ratelimit.allow(limit, client_ip(request)):
            return _page(
                request,
                {"query": query, "limited": True, "count": limit.count},
                status=429,
            )
        if len(query) < MIN_QUERY:
            error = f"请至少输入 {MIN_QUERY} 个字，例如“新生儿落户”“社保转移”"
        else:
            results = public_search(query)
    return _page(request, {"query": query, "results": results, "error": error})
