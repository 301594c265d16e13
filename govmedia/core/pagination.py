from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.db.models.query import ModelIterable
from django.utils.functional import cached_property
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

from .numbers import MAX_INT


class _Paginator(Paginator):
    """Django's paginator, reading a deep page of a queryset in two steps: the page's primary
    keys in the list's order, then those rows. Past PAGE_DEEP_OFFSET rows a single query would
    sort every row of the list with all its joined columns (on disk, once they outgrow
    work_mem) only to keep one page; the keys are a narrow sort or an index's order."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        queryset = self.object_list
        if (
            bottom < settings.PAGE_DEEP_OFFSET
            or not isinstance(queryset, QuerySet)
            or queryset._iterable_class is not ModelIterable  # values(): no rows to fetch back
            or queryset.query.distinct  # DISTINCT would need the order columns selected
        ):
            return super().page(number)
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = list(queryset.values_list("pk", flat=True)[bottom:top])
        return self._get_page(list(queryset.filter(pk__in=keys)), number, self)


class _CountedPaginator(_Paginator):
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
        paginator = _Paginator(queryset, size)
    else:
        paginator = _CountedPaginator(queryset, size, total=count)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    page.querystring = query.urlencode()
    # Page numbers to jump to: the first, the last, two either side of this one, "…" between.
    page.numbers = list(paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
    page.ellipsis = Paginator.ELLIPSIS
    return page


# ---------------------------------------------------------------- the API's lists

# The most rows one API call returns (documented on every list as the maximum of `limit`); a
# client pages with `offset`. An offset beyond an integer would only make the database fail.
API_MAX_LIMIT = 200
API_DEFAULT_LIMIT = 100
API_MAX_OFFSET = MAX_INT


class LimitOffset(LimitOffsetPagination):
    """`limit` (1–200, default 100) and `offset` (0–2147483647) of every API list; a value out
    of range is a 400 naming the parameter (govmedia.api's error format)."""

    class Input(Schema):
        limit: int = Field(
            API_DEFAULT_LIMIT,
            ge=1,
            le=API_MAX_LIMIT,
            description=f"每页条数，1–{API_MAX_LIMIT}，默认 {API_DEFAULT_LIMIT}",
        )
        offset: int = Field(0, ge=0, le=API_MAX_OFFSET, description="跳过的条数，从 0 开始")

    def __init__(self, **kwargs):
        super().__init__(max_limit=API_MAX_LIMIT, **kwargs)
