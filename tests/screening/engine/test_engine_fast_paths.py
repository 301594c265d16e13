"""The engine's fast paths give what the plain formulations give.

Folding and dropping noise run on code point arrays (numpy) instead of a regex split,
the automaton scans UTF-16 bytes (with a correction when astral chars take two code units),
locate tries a one-piece lookup first, and findings are built without the dataclass __init__.
"""

from hypothesis import example, given
from hypothesis import strategies as st

from govmedia.screening.engine import LexiconEntry, Screener
from govmedia.screening.engine.automaton import CompiledLexicon
from govmedia.screening.engine.finding import Finding, make_finding
from govmedia.screening.engine.folding import NOISE_SPLIT, fold_and_drop_noise, fold_chars
from govmedia.screening.engine.offsets import KeptIndexMap

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
    else:  # kept[i] is where folded char i stands in the text
        assert [light[index] for index in kept.tolist()] == list(folded)
        assert kept.tolist() == sorted(set(kept.tolist()))


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
    matches = lexicon.matches(text)
    assert sorted(matches) == naive_matches(TERMS, text)
    assert [end for _, _, end in matches] == sorted(end for _, _, end in matches)


def test_a_match_straddling_two_chars_in_utf16_is_none():
    assert "ab".encode("utf-16-le") in "\u6100\u6200\u6300".encode("utf-16-le")
    assert Screener([LexiconEntry("ab", "sensitive")]).check("\u6100\u6200\u6300") == []


@given(st.text(alphabet="台湾总 *，\u200b", max_size=30))
def test_the_one_piece_lookup_agrees_with_the_general_one(text):
    _, folded, kept = fold_and_drop_noise(text)
    if kept is None:
        return
    offsets = KeptIndexMap(kept)
    for start in range(len(folded)):
        for end in range(start + 1, len(folded) + 1):
            span = offsets.span(start, end - 1)
            copied = offsets.copied_span(start, end)
            assert copied == (span if span[1] - span[0] == end - start else None)
            assert span == (offsets.start(start), offsets.end(end - 1))
            assert all(isinstance(index, int) for index in span)


def test_the_fast_constructor_builds_the_same_frozen_finding():
    fields = ("sensitive", "台湾", "block", 3, 5, "台湾", "中国台湾", "依据", "注")
    made, plain = make_finding(*fields), Finding(*fields)
    assert made == plain and hash(made) == hash(plain) and repr(made) == repr(plain)
