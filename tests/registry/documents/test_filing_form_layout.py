"""Line breaking and fitting the table to the page, with a fake font: pure and fast."""

from __future__ import annotations

import unicodedata

from govmedia.officialdoc.wrap import wrap_text
from govmedia.registry.documents.fit import CONTINUED_MARK, fit_table
from govmedia.registry.documents.form import BODY_PT, MIN_PT, build_form
from govmedia.registry.documents.textclean import MISSING_GLYPH, clean_text, replace_missing


def em(text: str) -> float:
    """A monospaced fake font: full-width characters 1 unit, the rest ½."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WFA" else 0.5 for ch in text)


def test_chinese_breaks_between_any_characters():
    assert wrap_text("政务新媒体备案表", 3, em) == ["政务新", "媒体备", "案表"]


def test_latin_words_and_numbers_are_not_split():
    assert wrap_text("电话0530-2212021", 6, em) == ["电话", "0530-2212021"]
    assert wrap_text("a" * 20, 4, em) == ["a" * 8, "a" * 8, "a" * 4]  # too long: split anyway


def test_closing_punctuation_never_starts_a_line():
    # "，" would start line 2: "切" moves down with it
    assert wrap_text("回应群众关切，提供便民服务", 6, em) == ["回应群众关", "切，提供便民", "服务"]


def test_opening_punctuation_never_ends_a_line():
    # "“" would end line 1: it moves down to its word
    assert wrap_text("变更为“定陶滨河”", 4, em) == ["变更为", "“定陶滨", "河”"]


def test_newlines_are_kept():
    assert wrap_text("第一行\n第二行", 10, em) == ["第一行", "第二行"]


def test_control_characters_and_lone_surrogates_are_dropped():
    assert clean_text("甲\x00乙\x0b丙\ud800丁\r\n戊\t己") == "甲乙丙丁\n戊 己"
    assert clean_text(None) == ""


def test_characters_without_glyph_become_geta_marks():
    has = lambda ch: ch != "😀" and ch != "𠀀"  # noqa: E731
    assert replace_missing("笑😀\ufe0f字𠀀", has) == f"笑{MISSING_GLYPH}字{MISSING_GLYPH}"


def _cell(fitted, name):
    return next(f for f in fitted.cells if f.cell.name == name)


def test_short_form_keeps_body_size(filing):
    fitted = fit_table(build_form(filing).table, lambda s: em(s) * 0.3528, 230)
    assert all(f.size == BODY_PT for f in fitted.cells)
    assert abs(fitted.height - 230) < 0.01  # spare height went to the signature rows


def test_long_text_shrinks_before_it_is_cut(make_filing):
    filing = make_filing(positioning="聚焦政务公开。" * 30)
    fitted = fit_table(build_form(filing).table, lambda s: em(s) * 0.3528, 230)
    cell = _cell(fitted, "功能定位")
    assert MIN_PT <= cell.size < BODY_PT and not cell.continued
    assert fitted.height <= 230.01


def test_longest_text_is_cut_and_marked(long_filing):
    fitted = fit_table(build_form(long_filing).table, lambda s: em(s) * 0.3528, 230)
    assert fitted.height <= 230.01
    cut = [f for f in fitted.cells if f.continued]
    assert cut and all(f.lines[-1].endswith(CONTINUED_MARK) for f in cut)
    assert {f.cell.name for f in cut} <= {"功能定位", "其他需要说明事项"}
    for f in cut:
        assert f.text.endswith(CONTINUED_MARK)
        assert f.cell.text.startswith(f.text.removesuffix(CONTINUED_MARK).rstrip())
