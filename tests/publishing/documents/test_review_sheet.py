"""The 信息发布审核单 renderers alone (no Django): one page, in PDF and DOCX, naming every
reviewer, their decision and checks, and the revision hash the approval binds to."""

import dataclasses
import io
import subprocess
from datetime import date, datetime

import pytest
from docx import Document

from govmedia.publishing.documents import (
    Acknowledgement,
    ReviewSheetData,
    SheetStep,
    render_review_sheet_docx,
    render_review_sheet_pdf,
)

HASH = "3f9a2c" + "0123456789abcdef" * 3 + "9d1e4b7a5c"
FOUR = ("政治关", "法律关", "保密关", "文字关")


def sheet(**overrides) -> ReviewSheetData:
    steps = (
        SheetStep(
            stage="初审",
            reviewer="李审核",
            decision="通过",
            checks=tuple((label, True) for label in FOUR),
            decided_at=datetime(2026, 11, 24, 10, 5),
        ),
        SheetStep(
            stage="终审",
            reviewer="王书记",
            decision="通过",
            reason="同意发布",
            checks=tuple((label, True) for label in FOUR),
            decided_at=datetime(2026, 11, 24, 15, 40),
        ),
    )
    data = ReviewSheetData(
        title="天中街道冬季供暖服务热线开通",
        unit_name="天中街道",
        article_no="42",
        content_class="日常信息",
        accounts=("天中发布（微信公众号）", "天中微博（微博）"),
        revision_number=3,
        revision_hash=HASH,
        author="张编辑",
        submitted_by="张编辑",
        submitted_at=datetime(2026, 11, 24, 9, 30),
        flow_name="天中街道稿件审核",
        result="已通过",
        steps=steps,
        acknowledgements=(Acknowledgement("最好", "广告法用语", "李审核", "引用群众原话，已核实"),),
        printed_on=date(2026, 11, 25),
    )
    return dataclasses.replace(data, **overrides)


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "sheet.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_pages(content: bytes, tmp_path) -> int:
    path = tmp_path / "pages.pdf"
    path.write_bytes(content)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(
        next(line for line in info.stdout.splitlines() if line.startswith("Pages:")).split()[1]
    )


def docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_pdf_is_one_page_with_both_reviewers_and_the_hash(tmp_path):
    content = render_review_sheet_pdf(sheet())
    assert content.startswith(b"%PDF")
    assert pdf_pages(content, tmp_path) == 1
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "50",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            str(tmp_path / "pages.pdf"),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    assert list(tmp_path.glob("page*.png"))  # page 1 rasterises
    text = pdf_text(content, tmp_path)
    for expected in ("信息发布审核单", "李审核", "王书记", "初审", "终审", "日常信息", "天中发布"):
        assert expected in text, expected
    assert HASH in text.replace(" ", "").replace("\n", "")
    assert "政治关" in text and "同意发布" in text and "签字" in text
    assert "环节" in text
    assert "引用群众原话" in text


def test_docx_is_one_page_with_the_same_content():
    content = render_review_sheet_docx(sheet())
    doc = Document(io.BytesIO(content))
    assert len(doc.sections) == 1
    assert 'w:type="page"' not in doc.element.xml  # no page break: one page
    text = docx_text(content)
    for expected in ("信息发布审核单", "李审核", "王书记", HASH, "☑政治关", "同意发布", "签字"):
        assert expected in text, expected


def test_returned_step_and_unticked_check_show(tmp_path):
    returned = SheetStep(
        stage="初审",
        reviewer="李审核",
        decision="退回修改",
        reason="请补充热线电话号码",
        checks=(("政治关", True), ("法律关", False), ("保密关", True), ("文字关", False)),
        decided_at=datetime(2026, 11, 24, 10, 5),
    )
    data = sheet(steps=(returned,), result="已退回", acknowledgements=())
    text = docx_text(render_review_sheet_docx(data))
    assert "退回修改：请补充热线电话号码" in text and "□法律关" in text
    assert "未经审核通过不得发布" in text and "同意发布" not in text
    assert "请补充热线电话号码" in pdf_text(render_review_sheet_pdf(data), tmp_path)


@pytest.mark.parametrize("steps", [3, 6])
def test_long_texts_and_many_steps_stay_on_one_page(tmp_path, steps):
    reason = "标题与正文表述需进一步核实，" * 12
    many = tuple(
        SheetStep(
            stage=("初审", "复审", "终审")[i % 3],
            reviewer=f"审核人{i}",
            decision="通过",
            reason=reason,
            checks=tuple((label, True) for label in FOUR),
            decided_at=datetime(2026, 11, 24, 10, i),
        )
        for i in range(steps)
    )
    data = sheet(title="关于" + "冬季供暖" * 15 + "的通知", steps=many)
    content = render_review_sheet_pdf(data)
    # The sheet itself is one page; a cut text may continue on a 附页, never the signatures.
    first = pdf_text(content, tmp_path).split("\f")[0]
    assert "审核人0" in first and f"审核人{steps - 1}" in first and "单位负责人" in first


def test_emoji_and_control_characters_do_not_break_rendering(tmp_path):
    data = sheet(title="供暖热线开通🔥\x0b通知")
    assert render_review_sheet_pdf(data).startswith(b"%PDF")
    assert "供暖热线开通" in docx_text(render_review_sheet_docx(data))
