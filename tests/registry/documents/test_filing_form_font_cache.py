"""Fonts are parsed once per process and each glyph set is subset once (font_cache.py): a
PDF built from the cached subset is the PDF built from the font file."""

from fontTools import subset as ftsubset
from fpdf import output as fpdf_output

from govmedia.officialdoc import font_cache
from govmedia.registry.documents import render_filing_pdf


def test_a_cached_subset_gives_the_same_pdf(filing, poppler):
    font_cache._subsets.clear()
    fresh = poppler.save(render_filing_pdf(filing), "fresh.pdf")
    assert font_cache._subsets  # the glyph sets of this document are now kept
    cached = poppler.save(render_filing_pdf(filing), "cached.pdf")
    assert poppler.pages(cached) == poppler.pages(fresh) == 3
    assert poppler.text(cached) == poppler.text(fresh)
    assert poppler.fonts(cached) == poppler.fonts(fresh)
    assert poppler.png(cached).read_bytes() == poppler.png(fresh).read_bytes()


def test_another_glyph_set_gets_its_own_subset(make_filing, poppler):
    first = poppler.save(render_filing_pdf(make_filing(account_name="甲乙丙丁")), "a.pdf")
    second = poppler.save(render_filing_pdf(make_filing(account_name="戊己庚辛")), "b.pdf")
    assert "甲乙丙丁" in poppler.text(first) and "戊己庚辛" in poppler.text(second)
    assert "甲" not in poppler.text(second)


def test_other_fonts_are_still_subset_by_fpdf():
    assert fpdf_output.ftsubset.Options is ftsubset.Options
    assert issubclass(fpdf_output.ftsubset.Subsetter, ftsubset.Subsetter)
