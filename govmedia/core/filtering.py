"""One filter definition per list, used by its page, its Excel export and its API.

A list declares a FilterSet: each Filter names a query parameter, how to read it and what it
selects. The page and the export pass the query string as typed; the API passes its typed query
parameters. A value that cannot be read (a letter where an id is expected, an unknown state) is
ignored, so a bookmarked link with an old value still opens the list, unfiltered by it.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from .numbers import optional_id


def text(value) -> str:
    return str(value).strip()


def integer(value) -> int:
    """An id (core.numbers: ASCII digits, a positive bigint); ValueError for anything else."""
    number = optional_id(value)
    if number is None:
        raise ValueError("not an id")
    return number


def flag(value) -> bool:
    """ "1"/"true" or "0"/"false", as a select box or an API client sends it."""
    if isinstance(value, bool):
        return value
    lowered = str(value).strip().lower()
    if lowered in ("1", "true"):
        return True
    if lowered in ("0", "false"):
        return False
    raise ValueError("not a flag")


def choice(values) -> Callable[[Any], str]:
    allowed = frozenset(str(v) for v in values)

    def read(value) -> str:
        value = str(value).strip()
        if value not in allowed:
            raise ValueError("not a choice")
        return value

    return read


@dataclass(frozen=True)
class Filter:
    name: str
    read: Callable[[Any], Any]
    # (value, context) -> Q, or (queryset, value, context) -> queryset with `on_queryset`
    select: Callable[..., Any]
    on_queryset: bool = False


class FilterSet:
    def __init__(self, *filters: Filter):
        self.filters = filters
        self.names = tuple(f.name for f in filters)

    def values(self, params: Mapping) -> dict[str, Any]:
        """The readable, non-blank parameters, as typed values."""
        values = {}
        for f in self.filters:
            raw = params.get(f.name)
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                continue
            try:
                values[f.name] = f.read(raw)
            except (TypeError, ValueError):
                continue
        return values

    def apply(self, queryset: QuerySet, params: Mapping, **context) -> QuerySet:
        """The rows of an already restricted queryset that the parameters select."""
        values = self.values(params)
        for f in self.filters:
            if f.name not in values:
                continue
            value = values[f.name]
            if f.on_queryset:
                queryset = f.select(queryset, value, context)
            else:
                queryset = queryset.filter(f.select(value, context))
        return queryset

    def q(self, params: Mapping, **context) -> Q:
        """What `apply` selects, as one Q (for a conditional count next to other figures).
        Only for sets whose filters are all Q-valued (none `on_queryset`)."""
        values = self.values(params)
        selected = Q()
        for f in self.filters:
            if f.name in values:
                if f.on_queryset:
                    raise TypeError(f"filter {f.name} acts on the queryset, not as a Q")
                selected &= f.select(values[f.name], context)
        return selected

    def echo(self, params: Mapping) -> dict[str, str]:
        """The parameters as the page's form should show them again (every name present)."""
        return {name: str(params.get(name) or "").strip() for name in self.names}


def q_any(fields: tuple[str, ...], value: str) -> Q:
    """Any of the fields contains the text (case-insensitive)."""
    q = Q()
    for field in fields:
        q |= Q(**{f"{field}__icontains": value})
    return q
