"""A text prepared for screening: its views and the maps between them.

    original --(HTML only: drop markup)--> content --(fold, same length)--> light
    light --(drop noise)--> folded

The lexicon and the title/typo detectors match in ``folded``; the detectors that need digits,
separators or ★ match in ``light``, whose indices are those of ``content``. Every hit is
mapped back to ``original`` so the UI can highlight the exact characters.
"""

import re
from dataclasses import dataclass
from itertools import pairwise

from .folding import fold_and_drop_noise
from .limits import MAX_GAP
from .markup import html_to_text
from .offsets import KeptIndexMap, OffsetMap

# Noise between two characters of a term is evasion (台*湾); a sentence or clause boundary
# there is usually two words that merely meet (…在台湾。总统…). See Document.locate.
_BOUNDARY = re.compile(r"[。．.!！?？;；,，、:：\n\r]")


@dataclass(frozen=True, slots=True, eq=False)
class Document:
    original: str
    content: str
    light: str
    folded: str
    folded_to_content: KeptIndexMap
    content_to_original: OffsetMap | None  # None when content is the original

    def locate(
        self, start: int, end: int, *, across_boundaries: bool = False
    ) -> tuple[int, int] | None:
        """The original span of folded[start:end], or None when it is not a plausible hit.

        Implausible: a gap of more than MAX_GAP noise chars, or (unless ``across_boundaries``)
        a clause boundary inside the span where not every gap holds noise: 台。湾。总。统 is
        evasion, 在台湾。总统 is two words meeting. A two-character term across a boundary is
        never taken.
        """
        content_start, content_end = self.content_span(start, end)
        return self.locate_content(start, end, content_start, content_end, across_boundaries)

    def locate_content(
        self, start: int, end: int, content_start: int, content_end: int, across_boundaries=False
    ) -> tuple[int, int] | None:
        """``locate`` given the content span of folded[start:end] (the screener maps all of
        its matches at once)."""
        noise = (content_end - content_start) - (end - start)
        if noise and not self._plausible_noise(
            start, end, content_start, content_end, noise, across_boundaries
        ):
            return None
        return self.original_span(content_start, content_end)

    def original_span(self, content_start: int, content_end: int) -> tuple[int, int]:
        """The original span of content[content_start:content_end] (a light-view span)."""
        if self.content_to_original is None:
            return content_start, content_end
        return self.content_to_original.span(content_start, content_end - 1)

    def content_span(self, start: int, end: int) -> tuple[int, int]:
        """The content (= light) span of folded[start:end]."""
        return self.folded_to_content.span(start, end - 1)

    def _plausible_noise(
        self, start, end, content_start, content_end, noise, across_boundaries
    ) -> bool:
        # Common cases first, without looking at each gap: a little noise and no boundary.
        if noise <= MAX_GAP and (
            across_boundaries or not _BOUNDARY.search(self.light, content_start, content_end)
        ):
            return True
        positions = [self.folded_to_content.start(index) for index in range(start, end)]
        gaps = [self.light[a + 1 : b] for a, b in pairwise(positions)]
        if any(len(gap) > MAX_GAP for gap in gaps):
            return False
        if across_boundaries or not any(_BOUNDARY.search(gap) for gap in gaps):
            return True
        return len(gaps) >= 2 and all(gaps)


def normalise(text: str, *, html: bool = False) -> Document:
    """Build all views of ``text`` once; detectors and the lexicon share them."""
    if html:
        content, content_to_original = html_to_text(text)
    else:
        content, content_to_original = text, None
    light, folded, kept = fold_and_drop_noise(content)
    return Document(text, content, light, folded, KeptIndexMap(kept), content_to_original)
