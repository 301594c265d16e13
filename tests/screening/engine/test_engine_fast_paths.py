"""The engine's fast paths give what the plain formulations give.

Folding and dropping noise run on code point arrays (numpy) instead of a regex split, and the
map back to the text is built at its first lookup; the automaton scans UTF-16 bytes (with a
correction when astral chars take two code units) and its matches are converted and capped in
numpy; locate tries a one-piece lookup first; anchored detectors try their pattern only where
an anchor occurs; findings are built without the dataclass __init__ and sorted by start first.
"""

import random
import re
from itertools import combinations_with_replacement

import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st

from govmedia.screening.engine import LexiconEntry, Screener
from govmedia.screening.engine.automaton import CompiledLexicon
from govmedia.screening.engine.detectors import DEFAULT_DETECTORS, Detector
from govmedia.screening.engine.document import normalise
from govmedia.screening.engine.finding import REPORT_ORDER, Finding, in_report_order, make_finding
from govmedia.screening.engine.folding import (
    NOISE_RUN,
    NOISE_SPLIT,
    fold_and_drop_noise,
    fold_chars,
)
from govmedia.screening.engine.limits import MAX_HITS_PER_RULE
from govmedia.screening.engine.offsets import KeptIndexMap, OffsetMapBuilder

# Letters, CJK (traditional and full width too), BMP noise, zero-width and lone surrogates,
# astral letters (𠀀 CJK extension B, 𝐀 folds to a) and astral noise (emoji, unassigned).
CHARS = "台湾臺灣总統abＡＢ1２ *，。、\u3000\u200b\ufeff_-\ud800\udfff𠀀𫝈𝐀🙂\U000e0001\U0010fffd"


@given(st.text(alphabet=CHARS, max_size=60))
@example("台🙂湾")  # astral noise
@example("台𠀀 湾")  # astral letters only
@example("ＡＢ台湾")  # nothing dropped, something folded
def test_fold_and_drop_noise_is_folding_then_dropping_the_noise_split(text):
    light, folded, kept = fold_and_drop_noise(text)
    assert light == fold_chars(text)
    parts = NOISE_SPLIT.split(light)
    assert folded == "".join(parts[0::2])
    if kept is None:
        assert folded == light
    else:  # kept[i]: whether char i of the text stays in the folded view
        assert kept.tolist() == [NOISE_RUN.fullmatch(char) is None for char in light]


TERMS = ["台湾", "湾总", "𠀀台", "a𠀀", "ab", "1", "𫝈𫝈"]


def naive_matches(terms: list[str], text: str) -> list[tuple[int, int, int]]:
    return sorted(
        (index, start, start + len(term))
        for index, term in enumerate(terms)
        for start in range(len(text))
        if text.startswith(term, start)
    )


@given(st.text(alphabet="台湾总ab1𠀀𫝈🙂\u6100\u6200\u6300", max_size=40))
@example("𠀀𠀀台湾𫝈𫝈𫝈")  # matches after astral chars
@example("\u6100\u6200\u6300")  # holds the UTF-16 bytes of "ab" at an odd offset
def test_the_automaton_finds_what_a_naive_search_finds(text):
    lexicon = CompiledLexicon([LexiconEntry(term, "sensitive") for term in TERMS])
    assert lexicon.terms == TERMS
    matches = [tuple(row) for row in lexicon.matches(text).tolist()]
    assert sorted(matches) == naive_matches(TERMS, text)
    assert [end for _, _, end in matches] == sorted(end for _, _, end in matches)


def test_a_match_straddling_two_chars_in_utf16_is_none():
    assert "ab".encode("utf-16-le") in "\u6100\u6200\u6300".encode("utf-16-le")
    assert Screener([LexiconEntry("ab", "sensitive")]).check("\u6100\u6200\u6300") == []


@given(st.text(alphabet="台湾总 *，\u200b", max_size=30))
def test_the_lookups_of_many_spans_at_once_agree_with_single_lookups(text):
    _, folded, kept = fold_and_drop_noise(text)
    offsets = KeptIndexMap(kept)
    pairs = list(combinations_with_replacement(range(len(folded)), 2))  # (first, last)
    firsts, lasts = (np.array([pair[side] for pair in pairs], dtype=int) for side in (0, 1))
    starts, ends = offsets.spans(firsts, lasts)
    assert list(zip(starts.tolist(), ends.tolist(), strict=True)) == [
        offsets.span(first, last) for first, last in pairs
    ]
    for first, last in pairs:
        span = offsets.span(first, last)
        assert span == (offsets.start(first), offsets.end(last))
        assert all(isinstance(index, int) for index in span)


def test_the_fast_constructor_builds_the_same_frozen_finding():
    fields = ("sensitive", "台湾", "block", 3, 5, "台湾", "中国台湾", "依据", "注")
    made, plain = make_finding(*fields), Finding(*fields)
    assert made == plain and hash(made) == hash(plain) and repr(made) == repr(plain)


# Noise, markup and entities, traditional, full-width and astral chars.
PIECES = [
    "台",
    "灣",
    "湾",
    "總統",
    "总统",
    "Ａ",
    "a1",
    " ",
    "*",
    "，",
    "\u200b",
    "\u3000",
    "🙂",
    "𠀀",
]
PIECES += ["<b>", "</b>", "<p>", "&amp;", "&#x53F0;", "&nbsp;", "<!-- x -->"]


@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join), st.booleans())
@example("台 灣<b>總</b>統", True)
def test_the_map_made_at_its_first_lookup_is_the_map_of_the_noise_split(text, html):
    document = normalise(text, html=html)
    eager = OffsetMapBuilder()  # every run between noise copied from where it stands
    position = 0
    for index, part in enumerate(NOISE_SPLIT.split(document.light)):
        if index % 2 == 0:
            eager.copied(position, len(part))
        position += len(part)
    eager, lazy = eager.build(), document.folded_to_content
    for start in range(len(document.folded)):
        assert (lazy.start(start), lazy.end(start)) == (eager.start(start), eager.end(start))
        for end in range(start + 1, len(document.folded) + 1):
            assert lazy.span(start, end - 1) == eager.span(start, end - 1)


# Wrong titles, classified markers and their look-alikes, cut up by noise and markup.
DETECTOR_PIECES = ["山东省省委", "省省政府", "原教育部部长", "原则", "部副部长", "菏泽市长", "副"]
DETECTOR_PIECES += ["济南市长清区", "区政法委", "组织部", "区区委", "县县党委", "市市政府"]
DETECTOR_PIECES += ["机密★", "绝 密★5年", "秘密*1年", "★", "机", "密", "省", "市", "区", "长"]
DETECTOR_PIECES += ["原", " ", "\u200b", "，", "<b>", "</b>", "&nbsp;", "1"]
ANCHORED = Screener([])
SCANNING = Screener([], detectors=[Detector(detector.detect) for detector in DEFAULT_DETECTORS])


@given(st.lists(st.sampled_from(DETECTOR_PIECES), max_size=25).map("".join), st.booleans())
@example("原教育部部长，济南市长清区区区委", False)
@example("<b>机</b>密&nbsp;★5年", True)
def test_detectors_tried_at_their_anchors_find_what_a_whole_scan_finds(text, html):
    assert ANCHORED.check(text, html=html) == SCANNING.check(text, html=html)


@given(
    st.lists(
        st.tuples(
            st.integers(0, 4),
            st.sampled_from(["sensitive", "typo"]),
            st.sampled_from(["台湾", "总统"]),
            st.integers(1, 3),
            st.sampled_from(["block", "warn"]),
            st.sampled_from(["", "x"]),
            st.sampled_from(["", "y"]),
        ),
        max_size=30,
    )
)
def test_sorting_by_start_first_gives_the_report_order(rows):
    findings = [
        make_finding(category, rule, severity, start, start + length, "", suggestion, basis, "")
        for start, category, rule, length, severity, suggestion, basis in rows
    ]
    # Identities: findings equal in the whole key (another basis) keep their order.
    assert list(map(id, in_report_order(findings))) == list(
        map(id, sorted(findings, key=REPORT_ORDER))
    )


def test_each_term_is_reported_at_its_first_occurrences_only():
    rng = random.Random(19)
    text = "".join(rng.choice(["台湾", "总统", "总统", "，"]) for _ in range(5 * MAX_HITS_PER_RULE))
    screener = Screener([LexiconEntry(term, "sensitive") for term in ("台湾", "总统", "赌博")])
    for term in ("台湾", "总统"):
        starts = [match.start() for match in re.finditer(term, text)]
        assert len(starts) > MAX_HITS_PER_RULE
        found = [finding.start for finding in screener.check(text) if finding.rule == term]
        assert found == starts[:MAX_HITS_PER_RULE]
