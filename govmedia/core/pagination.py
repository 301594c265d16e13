from django.conf import settings
from django.core.paginator import Paginator
from django.utils.functional import cached_property


class _CountedPaginator(Paginator):
    """A paginator told its total, for lists whose count is kept elsewhere (cheaper than a
    COUNT over the list's joins)."""

    def __init__(self, object_list, per_page, *, total: int):
        super().__init__(object_list, per_page)
        self._total = total

    @cached_property
    def count(self) -> int:
        return self._total


def paginate(request, queryset, per_page: int | None = None, *, count: int | None = None):
    """The requested page; a page number out of range or not a number gives the nearest page.
    `count`, when the caller already knows how many rows the queryset has, saves the COUNT."""
    size = per_page or settings.PAGE_SIZE
    if count is None:
        paginator = Paginator(queryset, size)
    else:
        paginator = _CountedPaginator(queryset, size, total=count)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    page.querystring = query.urlencode()
    return page
