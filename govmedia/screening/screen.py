"""Screening a text: the one entry point for the check page, the API, the `screen` command and
(later) the review workflow, so all of them give the same findings for the same text.

`screener_for(user_or_org)` is an engine Screener over the lexicon rows that apply to that unit:
the district-wide rows plus those owned by the unit and its ancestors. Screeners are cached per
process, keyed by the lexicon stamp and the owners whose rows apply; each call reads the
one-row LexiconVersion (one indexed query) and rebuilds only when another process (or this one)
committed a lexicon change. No restart is ever needed.
"""

import logging
import threading
from dataclasses import dataclass

from django.db.models import Q

from govmedia.core.errors import Conflict, ServiceError

from .engine import Finding, LexiconEntry, Screener
from .models import LexiconTerm
from .version import current_version

logger = logging.getLogger(__name__)

MAX_TEXT_BYTES = 10 * 1024 * 1024  # 10 MB of UTF-8; a 5 MB article must work
MAX_TEXT_LABEL = "10 MB"

# The keys of a finding in the API and the command, in this order.
FINDING_FIELDS = ("category", "rule", "severity", "start", "end", "matched", "suggestion", "basis")
# The LexiconTerm columns an engine LexiconEntry is built from.
ENTRY_FIELDS = (
    "term",
    "category",
    "severity",
    "suggestion",
    "basis",
    "note",
    "whitelist",
    "context",
)


@dataclass(frozen=True)
class ScreeningResult:
    findings: list[Finding]
    lexicon_version: int

    def as_json(self) -> dict:
        """The answer of POST /api/v1/screening/check and of `manage.py screen --json`."""
        return {
            "findings": [
                {key: getattr(finding, key) for key in FINDING_FIELDS} for finding in self.findings
            ],
            "lexicon_version": self.lexicon_version,
        }

    @property
    def block_count(self) -> int:
        return sum(1 for finding in self.findings if finding.blocks)

    @property
    def warn_count(self) -> int:
        return len(self.findings) - self.block_count


def check_text(text) -> str:
    """The text as it will be screened, or a Chinese error for what cannot be."""
    if not isinstance(text, str):
        raise ServiceError("待审查内容应为文本", field="text")
    # The cheap test first: a string this long is too large whatever its characters.
    if len(text) > MAX_TEXT_BYTES:
        raise text_too_large()
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError:
        # A lone surrogate ("\ud800" in JSON) is no character; UTF-8 cannot carry it.
        raise ServiceError(
            "文本含有无效字符（不成对的代理码位），请检查文本编码后重试", field="text"
        ) from None
    if size > MAX_TEXT_BYTES:
        raise text_too_large()
    return text


def text_too_large() -> ServiceError:
    return ServiceError(f"文本超过 {MAX_TEXT_LABEL}，请分段审查", field="text", code="too_large")


def screen_text(*, text, org, html: bool = False) -> ScreeningResult:
    """Findings for `text` with the lexicons that apply to `org` (None: district-wide only).

    The same text and lexicon version give the same findings: the screener is a pure function
    of the rows, and `lexicon_version` names exactly the rows it was built from.
    """
    text = check_text(text)
    screener = screener_for(org)
    if not text.strip():
        return ScreeningResult([], screener.version)
    return ScreeningResult(screener.check(text, html=html), screener.version)


# --- the per-process cache -------------------------------------------------------------------

_lock = threading.Lock()
_stamp: str | None = None
_owners_with_rows: frozenset[int] = frozenset()
_screeners: dict[tuple[int, ...], Screener] = {}

# Builds that may be invalidated by concurrent lexicon writes before one is given up.
_BUILD_ATTEMPTS = 3


def screener_for(user_or_org) -> Screener:
    """The Screener for a user's unit, a unit, or None (district-wide rows only)."""
    org = getattr(user_or_org, "org", user_or_org)
    chain = (*org.ancestor_ids(), org.pk) if org is not None else ()
    for _ in range(_BUILD_ATTEMPTS):
        version, stamp = current_version()
        with _lock:
            if stamp != _stamp:
                _load_owner_index(stamp)
            # Units with no rows of their own share their nearest ancestors' screener.
            key = tuple(owner for owner in chain if owner in _owners_with_rows)
            screener = _screeners.get(key)
            if screener is not None:
                return screener
            screener = _build(key, version)
            # Unchanged stamp: no lexicon write committed since it was read (each write changes
            # it in its own transaction), so the rows read are exactly those of `version`.
            if current_version()[1] == stamp:
                _screeners[key] = screener
                return screener
            _forget_cache()
    raise Conflict("词库正在更新，请稍后重试")


def _load_owner_index(stamp: str) -> None:
    global _stamp, _owners_with_rows
    owners = LexiconTerm.objects.active().filter(owner_org__isnull=False)
    _owners_with_rows = frozenset(owners.values_list("owner_org_id", flat=True).distinct())
    _screeners.clear()
    _stamp = stamp


def _build(owners: tuple[int, ...], version: int) -> Screener:
    """A Screener over the active district-wide rows and those of `owners`."""
    rows = (
        LexiconTerm.objects.active()
        .filter(Q(owner_org__isnull=True) | Q(owner_org_id__in=owners))
        .order_by("pk")
        .values_list(*ENTRY_FIELDS)
    )
    entries = []
    for row in rows:
        try:
            entries.append(LexiconEntry(**dict(zip(ENTRY_FIELDS, row, strict=True))))
        except ValueError:
            # Services validate every row with this same constructor; a row edited behind their
            # back must not stop all screening.
            logger.warning("词库中有无效词条，已跳过：%r", row)
    return Screener(entries, version=version)


def _forget_cache() -> None:
    """Drop this process's screeners (the next call rebuilds). Call with _lock held, or in tests."""
    global _stamp
    _stamp = None
    _screeners.clear()
