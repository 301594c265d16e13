"""Long texts and characters no font has: the form still prints, one form page per copy."""

from __future__ import annotations

import io

from docx import Document

from govmedia.registry.documents import TeamMember, render_filing_docx, render_filing_pdf
from govmedia.registry.documents.texts import COMMITMENT

ODD = "表情😀👨‍👩‍👧旗🇨🇳 扩展B𠀀𪚥 控制\x00\x0b\x1f符 孤\ud800代理 e\u0301 阿拉伯مرحبا"


def _form_pages(poppler, path, copies=3):
    """Page numbers that hold a form (the rest are continuation sheets)."""
    pages = range(1, poppler.pages(path) + 1)
    return [n for n in pages if "备案单位签章" in poppler.text(path, n)], len(pages)


def test_moderately_long_texts_shrink_and_stay_on_the_page(make_filing, poppler):
    positioning = ("聚焦政务公开、政策解读、政民互动和便民服务。" * 10)[:200]
    notes = ("本账号由街道党政办公室负责日常运维，信息发布实行三审制度。" * 10)[:300]
    pdf = poppler.save(render_filing_pdf(make_filing(positioning=positioning, notes=notes)))
    assert poppler.pages(pdf) == 3
    page = poppler.text(pdf, 1)
    assert positioning in page and notes in page and COMMITMENT in page


def test_longest_texts_continue_on_a_sheet_after_each_form(long_filing, poppler):
    pdf = poppler.save(render_filing_pdf(long_filing))
    form_pages, total = _form_pages(poppler, pdf)
    assert len(form_pages) == 3 and total % 3 == 0
    sheets = total // 3  # each copy: its form page, then the same number of 附页
    assert form_pages == [1, 1 + sheets, 1 + 2 * sheets]
    for copy, first in enumerate(form_pages, start=1):
        page = poppler.text(pdf, first)
        assert COMMITMENT in page and f"第{copy}份/共3份" in page
        assert "（续见附页）" in page
        assert f"第{copy}份/共3份附页1" in poppler.text(pdf, first + 1)
    copy_one = "".join(poppler.text(pdf, n) for n in range(1, 1 + sheets))
    assert long_filing.positioning in copy_one
    assert long_filing.notes in copy_one


def test_every_field_absurdly_long_still_prints(make_filing, poppler):
    long = "超长" * 150
    member = TeamMember(long, long, long)
    filing = make_filing(
        district_name=long,
        filing_no=long,
        unit_name=long,
        account_name=long,
        handle="x" * 300,
        platform=long,
        registrant=long,
        positioning=long * 3,
        operator=long,
        contact=long,
        notes=long * 10,
        principal=member,
        leader_in_charge=member,
        person_responsible=member,
        supervisor_name=long,
        office_name=long,
    )
    pdf = poppler.save(render_filing_pdf(filing, copies=1))
    form_pages, _ = _form_pages(poppler, pdf)
    assert form_pages == [1]
    assert COMMITMENT in poppler.text(pdf, 1)


def test_odd_characters_do_not_crash_the_pdf(make_filing, poppler):
    filing = make_filing(
        account_name=ODD,
        positioning=ODD,
        notes=ODD,
        contact=ODD,
        principal=TeamMember(ODD, ODD, ODD),
    )
    pdf = poppler.save(render_filing_pdf(filing, copies=1))
    text = poppler.text(pdf)
    assert "表情" in text and "扩展B" in text and "控制符" in text
    assert "〓" in text  # what the font lacks is marked, not silently dropped
    assert poppler.png(pdf).stat().st_size > 20_000


def test_odd_characters_do_not_crash_the_docx(make_filing):
    filing = make_filing(account_name=ODD, positioning=ODD, notes=ODD)
    doc = Document(io.BytesIO(render_filing_docx(filing)))
    text = "".join(cell.text for row in doc.tables[0].rows for cell in row.cells)
    assert "😀" in text and "𠀀" in text  # Word has its own fallback fonts: keep them
    assert "\x00" not in text and "控制符" in text


def test_longest_texts_continue_on_a_sheet_in_docx_too(long_filing):
    doc = Document(io.BytesIO(render_filing_docx(long_filing)))
    assert len(doc.tables) == 3 and len(doc.sections) == 3
    table = "".join(cell.text for row in doc.tables[0].rows for cell in row.cells)
    assert "（续见附页）" in table
    body = "".join(p.text for p in doc.paragraphs)
    assert body.count("菏泽市定陶区政务新媒体备案表（附页）") == 3
    assert long_filing.positioning in body and long_filing.notes in body
