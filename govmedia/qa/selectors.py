"""Reads of the Q&A library: the suggestions for a message (BM25 over jieba tokens, re-scored
by rapidfuzz: ranking.py), the public search, and how often clerks took the first suggestion.

The index is built from the published entries (their stored words: nothing is segmented again)
and kept in this process; each call compares the latest change of any entry with the one the
index was built from (one indexed query) and rebuilds when it moved, so an approval, a withdrawal or an import is
suggested from the next call on, in every web and worker process.
"""

import threading
from dataclasses import dataclass
from datetime import date

from django.db.models import Q
from django.utils import timezone

from .models import QAEntry, SuggestionRecord
from .ranking import Doc, Index, tokens

_lock = threading.Lock()
_cached: tuple[tuple, Index] | None = None


@dataclass(frozen=True)
class Suggestion:
    entry_id: int
    question: str
    answer: str
    basis: str
    score: float


def _stamp():
    """The latest change of any entry (an indexed LIMIT 1): every service that changes what is
    published (approval, withdrawal, import) moves it."""
    return QAEntry.objects.order_by("-changed_at").values_list("changed_at", flat=True).first()


def build_index() -> Index:
    rows = QAEntry.objects.published().values_list(
        "pk", "question", "answer", "basis", "valid_from", "valid_to", "search_tokens"
    )
    docs = []
    for pk, question, answer, basis, valid_from, valid_to, terms in rows.iterator(2000):
        if not terms:  # written before the words were stored: segmented now
            terms = None
            variants = QAEntry.objects.values_list("variants", flat=True).get(pk=pk)
        else:
            variants = ()
        docs.append(Doc(pk, question, tuple(variants), answer, basis, valid_from, valid_to, terms))
    return Index(docs)


def current_index() -> Index:
    global _cached
    stamp = _stamp()
    cached = _cached
    if cached is not None and cached[0] == stamp:
        return cached[1]
    with _lock:
        if _cached is None or _cached[0] != stamp:
            _cached = (stamp, build_index())
        return _cached[1]


def forget_index() -> None:
    """Drop this process's index (tests that roll back between cases)."""
    global _cached
    with _lock:
        _cached = None


def suggest(text: str, *, limit: int = 5, on: date | None = None) -> list[Suggestion]:
    """The published entries valid on `on` (today) that best answer `text`, best first."""
    on = on or timezone.localdate()
    # The index is current (current_index compares the latest change): an entry withdrawn since
    # is not in it, and one expired on `on` is masked by its dates.
    hits = current_index().search(text or "", on=on, limit=max(0, min(limit, 50)))
    return [Suggestion(h.id, h.doc.question, h.doc.answer, h.doc.basis, h.score) for h in hits]


# The public search: what a citizen may see (never who wrote or reviewed an entry).
PUBLIC_FIELDS = ("pk", "question", "answer", "basis", "valid_to", "owner_org__name")


def public_search(text: str, *, on: date | None = None, limit: int = 20) -> list[dict]:
    """Published entries valid today matching the words of `text`, best first."""
    on = on or timezone.localdate()
    ids = [s.entry_id for s in suggest(text, limit=limit, on=on)]
    if not ids:  # a word the segmenter split differently: a plain substring match
        words = tokens(text)[:5] or [text.strip()]
        match = Q()
        for word in words:
            match &= Q(question__icontains=word) | Q(answer__icontains=word)
        ids = list(QAEntry.objects.valid_on(on).filter(match).values_list("pk", flat=True)[:limit])
    rows = {
        r["pk"]: r for r in QAEntry.objects.valid_on(on).filter(pk__in=ids).values(*PUBLIC_FIELDS)
    }
    return [rows[i] for i in ids if i in rows]


@dataclass(frozen=True)
class SuggestionFigures:
    records: int
    taken: int  # a suggested entry was taken
    first: int  # … the first one
    top3: int
    mrr: float | None  # mean reciprocal rank over the records


def suggestion_figures(user) -> SuggestionFigures:
    """How the suggestions served the clerks in the user's scope."""
    ranks = list(SuggestionRecord.objects.restrict(user).values_list("rank", flat=True))
    taken = [r for r in ranks if r]
    return SuggestionFigures(
        records=len(ranks),
        taken=len(taken),
        first=sum(1 for r in taken if r == 1),
        top3=sum(1 for r in taken if r <= 3),
        mrr=round(sum(1 / r for r in taken) / len(ranks), 3) if ranks else None,
    )
