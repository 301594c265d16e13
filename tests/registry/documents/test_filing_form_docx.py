"""The 备案表 as DOCX, opened again with python-docx as Word or WPS would open it."""

from __future__ import annotations

import io

import pytest
from docx import Document

from govmedia.registry.documents import KIND_LABELS, render_filing_docx
from govmedia.registry.documents.texts import COMMITMENT

LABELS = (
    "政务新媒体名称",
    "账号",
    "运行平台",
    "注册单位",
    "注册时间",
    "备案类型",
    "功能定位",
    "官方认证",
    "运维机构",
    "联系人及联系电话",
    "其他需要说明事项",
    "管理队伍",
    "单位主要负责人",
    "分管负责人",
    "具体负责人",
    "办公电话",
    "手机号",
    "备案单位签章",
    "主管单位签章",
    "主要负责人：",
    "单位公章：",
    "年月日",
)


def _open(content: bytes):
    return Document(io.BytesIO(content))


def _table_text(table) -> str:
    """All cell text, whitespace removed (merged cells repeat; that doesn't matter here)."""
    return "".join("".join(cell.text.split()) for row in table.rows for cell in row.cells)


def _body_text(doc) -> str:
    return "".join("".join(p.text.split()) for p in doc.paragraphs)


@pytest.fixture(scope="module")
def doc(filing):
    return _open(render_filing_docx(filing))


def test_three_copies_each_on_its_own_page_and_marked(doc):
    assert len(doc.tables) == 3
    assert len(doc.sections) == 3  # a section per copy, each starting a new page
    assert [s.footer.paragraphs[0].text for s in doc.sections] == [
        "第1份/共3份",
        "第2份/共3份",
        "第3份/共3份",
    ]
    assert all(not s.footer.is_linked_to_previous for s in doc.sections)


def test_table_has_every_label_and_value(doc):
    text = _table_text(doc.tables[0])
    for label in LABELS:
        assert label in text, label
    for value in (
        "定陶滨河发布",
        "dingtao_binhe",
        "微信公众号",
        "2019年3月12日",
        "菏泽某某网络科技有限公司",
        "张三0530-2212021",
        "李四",
        "0530-2212002",
        "13800000003",
        "主管单位：菏泽市定陶区人民政府",
    ):
        assert value in text, value
    assert COMMITMENT in text


def test_header_and_notes(doc):
    text = _body_text(doc)
    assert text.count("菏泽市定陶区政务新媒体备案表") == 3
    assert "备案号：定陶新媒备〔2026〕第001号" in text
    assert "单位名称：菏泽市定陶区人民政府滨河街道办事处时间：2026年11月25日" in text
    assert "备注：1．新开设的政务新媒体，应在开设后7个工作日内向区政府办公室备案；" in text
    assert "3．本表格一式三份，单位留存一份，报区政府办公室备案两份。" in text


@pytest.mark.parametrize("kind", list(KIND_LABELS))
def test_checkboxes(kind, make_filing):
    doc = _open(render_filing_docx(make_filing(kind=kind, verified=False), copies=1))
    text = _table_text(doc.tables[0])
    for other, label in KIND_LABELS.items():
        assert (f"☑{label}" if other == kind else f"□{label}") in text
    assert "□已认证" in text and "☑未认证" in text


def test_merged_cells_span_the_grid(doc):
    table = doc.tables[0]
    notes_row = next(row for row in table.rows if row.cells[0].text == "其他需要\n说明事项")
    # the value spans every column right of the label
    assert len({cell._tc for cell in notes_row.cells}) == 2
    team_rows = [row for row in table.rows if row.cells[0].text == "管\n理\n队\n伍"]
    assert len(team_rows) == 3 and len({row.cells[0]._tc for row in team_rows}) == 1


def test_one_copy(filing):
    doc = _open(render_filing_docx(filing, copies=1))
    assert len(doc.tables) == 1 and len(doc.sections) == 1
    with pytest.raises(ValueError, match="份数"):
        render_filing_docx(filing, copies=0)
