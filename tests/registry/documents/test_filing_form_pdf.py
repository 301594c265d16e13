"""The printable 备案表 as PDF, read back with poppler as a person's viewer would."""

from __future__ import annotations

import pytest

from govmedia.registry.documents import KIND_LABELS, render_filing_pdf
from govmedia.registry.documents.texts import COMMITMENT, NOTES_HEAD

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
)


@pytest.fixture(scope="module")
def pdf(filing, tmp_path_factory):
    path = tmp_path_factory.mktemp("filing") / "form.pdf"
    path.write_bytes(render_filing_pdf(filing))
    return path


def test_one_page_per_copy_each_marked(pdf, poppler):
    assert poppler.pages(pdf) == 3
    for copy in (1, 2, 3):
        assert f"第{copy}份/共3份" in poppler.text(pdf, copy)


def test_copies_are_the_same_form(pdf, poppler):
    pages = [poppler.text(pdf, n).replace(f"第{n}份/共3份", "") for n in (1, 2, 3)]
    assert pages[0] == pages[1] == pages[2]


def test_page_shows_every_field_of_the_attachment(pdf, poppler):
    text = poppler.text(pdf, 1)
    assert "菏泽市定陶区政务新媒体备案表" in text
    assert "备案号：定陶新媒备〔2026〕第001号" in text
    assert "单位名称：菏泽市定陶区人民政府滨河街道办事处" in text
    assert "时间：2026年11月25日" in text
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


def test_commitment_and_notes_are_verbatim(pdf, poppler):
    text = poppler.text(pdf, 1)
    assert COMMITMENT in text
    assert "年月日" in text  # the blank date under each seal
    assert f"{NOTES_HEAD}1．新开设的政务新媒体，应在开设后7个工作日内向区政府办公室备案；" in text
    assert (
        "2．变更、关停或注销政务新媒体的，应在变更、关停或注销后5个工作日内向区政府办公室备案；"
        in text
    )
    assert "3．本表格一式三份，单位留存一份，报区政府办公室备案两份。" in text


@pytest.mark.parametrize("kind", list(KIND_LABELS))
def test_only_the_filing_kind_is_ticked(kind, make_filing, poppler):
    pdf = poppler.save(render_filing_pdf(make_filing(kind=kind), copies=1))
    text = poppler.text(pdf)
    for other, label in KIND_LABELS.items():
        assert (f"☑{label}" if other == kind else f"□{label}") in text


@pytest.mark.parametrize(
    ("verified", "ticked", "blank"), [(True, "已认证", "未认证"), (False, "未认证", "已认证")]
)
def test_official_verification_is_ticked(verified, ticked, blank, make_filing, poppler):
    pdf = poppler.save(render_filing_pdf(make_filing(verified=verified), copies=1))
    text = poppler.text(pdf)
    assert f"☑{ticked}" in text and f"□{blank}" in text


def test_district_and_office_come_from_input(make_filing, poppler):
    filing = make_filing(district_name="菏泽市牡丹区", office_name="区政务服务中心")
    text = poppler.text(poppler.save(render_filing_pdf(filing, copies=1)))
    assert "菏泽市牡丹区政务新媒体备案表" in text
    assert "应在开设后7个工作日内向区政务服务中心备案；" in text
    assert "报区政务服务中心备案两份。" in text


def test_cjk_font_is_embedded(pdf, poppler):
    fonts = poppler.fonts(pdf)
    cjk = [row for row in fonts if "CJK" in row[0] or "Ming" in row[0] or "Hei" in row[0]]
    assert cjk, fonts
    # columns from the right: object id, generation, uni, sub, emb
    assert all(row[-5] == "yes" and row[-4] == "yes" for row in fonts), fonts


def test_page_renders_to_a_picture(pdf, poppler):
    png = poppler.png(pdf)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 20_000  # a blank A4 page at 60 dpi is a few kB


def test_missing_optional_values(make_filing, poppler):
    filing = make_filing(registered_on=None, supervisor_name=None, notes="", operator="")
    text = poppler.text(poppler.save(render_filing_pdf(filing, copies=1)))
    assert "主管单位签章" in text and "主管单位：" not in text


def test_number_of_copies(filing, poppler):
    assert poppler.pages(poppler.save(render_filing_pdf(filing, copies=1))) == 1
    with pytest.raises(ValueError, match="份数"):
        render_filing_pdf(filing, copies=0)


def test_unknown_kind_is_refused_in_chinese(make_filing):
    with pytest.raises(ValueError, match="备案类型"):
        make_filing(kind="close")
