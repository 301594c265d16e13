"""Terms are found through traditional characters, full width, case and inserted noise, and
the offsets still point at the original characters."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govmedia.screening.engine.folding import NOISE_RUN, fold_chars

# Spaces, symbols, zero-width and other invisible characters slipped between characters.
NOISE = " *-_·\t\u3000\u00a0\u200b\u200c\u200d\ufeff\u2060"
# Each term with, per character, the forms it may be written in.
TERMS = {
    "台湾总统": ["台臺", "湾灣", "总總", "统統"],
    "中华民国": ["中", "华華", "民", "国國"],
    "两岸三地": ["两兩", "岸", "三", "地"],
    "全网销量第一": ["全", "网網", "销銷", "量", "第", "一"],
    "据网传": ["据據", "网網", "传傳"],
    "WTO成员国": ["WwＷｗ", "TtＴｔ", "OoＯｏ", "成", "员員", "国國"],
}
# Context that forms no term with anything: the term is the only finding.
FILLER = "山水日月云天星花草木"


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("臺灣總統", "臺灣總統"),
        ("台 湾 总 统", "台 湾 总 统"),
        ("台*湾*总*统", "台*湾*总*统"),
        ("台\u200b湾\u200d总\ufeff统", "台\u200b湾\u200d总\ufeff统"),
        ("中華民國", "中華民國"),
        ("ＷＴＯ成员国", "ＷＴＯ成员国"),
        ("wto成員國", "wto成員國"),
        ("台。湾。总。统", "台。湾。总。统"),  # noise in every gap is deliberate
    ],
)
def test_variants_are_found_with_original_offsets(check, text, matched):
    text = f"山水{text}日月"
    [finding] = check(text)
    assert finding.matched == matched == text[finding.start : finding.end]


def test_too_much_noise_between_characters_is_no_term(check):
    assert check("台" + " " * 9 + "湾总统") == []


@st.composite
def disguised(draw):
    term = draw(st.sampled_from(sorted(TERMS)))
    chars = [draw(st.sampled_from(forms)) for forms in TERMS[term]]
    gaps = [draw(st.text(alphabet=NOISE, max_size=3)) for _ in chars[1:]]
    body = chars[0] + "".join(gap + char for gap, char in zip(gaps, chars[1:], strict=True))
    before = draw(st.text(alphabet=FILLER + NOISE, max_size=8))
    after = draw(st.text(alphabet=FILLER + NOISE, max_size=8))
    return term, before, body, after


@given(disguised())
def test_noise_and_variants_map_back_to_the_first_and_last_character(screener, case):
    term, before, body, after = case
    text = before + body + after
    [finding] = [f for f in screener.check(text) if f.rule == term]
    assert finding.start == len(before)
    assert finding.end == len(before) + len(body)
    assert NOISE_RUN.sub("", fold_chars(text[finding.start : finding.end])) == NOISE_RUN.sub(
        "", fold_chars(term)
    )


@given(st.text(max_size=200))
def test_folding_keeps_every_offset(text):
    assert len(fold_chars(text)) == len(text)


@given(
    st.text(alphabet="台湾总统中华民国据网传机密★1380 -\u200b<>&;#bp/", max_size=80), st.booleans()
)
def test_any_text_gives_in_bounds_findings_deterministically(screener, text, html):
    findings = screener.check(text, html=html)
    assert findings == screener.check(text, html=html)
    assert findings == sorted(
        findings, key=lambda f: (f.start, f.category, f.rule, f.end, f.severity, f.suggestion)
    )
    for finding in findings:
        assert 0 <= finding.start < finding.end <= len(text)
        if finding.category != "personal_data":
            assert finding.matched == text[finding.start : finding.end]
