"""The letter asking a platform to close a counterfeit account (要求平台关停的函), as DOCX.

Pure: no Django import. The service copies the case into LetterData and stores the bytes with
the case, so the letter that was sent is the letter that can be downloaded later.
"""

import io
from dataclasses import dataclass, field
from datetime import date

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

NOTICE = "《菏泽市定陶区人民政府办公室关于推进全区政务新媒体健康有序发展的通知》（菏定政办发〔2019〕7号）"
NOTICE_RULE = "对发现的假冒政务新媒体，要及时要求第三方运营平台立即关停并通报有关部门依法依规处置"

# Who runs each platform, as the letter is addressed (the companies named in each platform's
# user agreement); a platform not listed is addressed as "<平台>运营方".
PLATFORM_OPERATORS = {
    "wechat-mp": "深圳市腾讯计算机系统有限公司（微信公众平台）",
    "wechat-channels": "深圳市腾讯计算机系统有限公司（微信视频号）",
    "weibo": "北京微梦创科网络技术有限公司（新浪微博）",
    "douyin": "北京抖音信息服务有限公司（抖音）",
    "kuaishou": "北京快手科技有限公司（快手）",
    "toutiao": "北京字节跳动科技有限公司（今日头条）",
    "bilibili": "上海宽娱数码科技有限公司（哔哩哔哩）",
    "xiaohongshu": "行吟信息科技（上海）有限公司（小红书）",
}

SONG, HEI = "宋体", "黑体"


def operator_for(platform_code: str, platform_name: str) -> str:
    return PLATFORM_OPERATORS.get(platform_code, f"{platform_name}运营方")


@dataclass(frozen=True)
class CounterfeitLine:
    platform: str
    handle: str
    name: str
    verification: str  # e.g. 未认证, 认证主体：某某文化传媒有限公司


@dataclass(frozen=True)
class GenuineLine:
    platform: str
    handle: str
    name: str
    filing_no: str
    host_org: str


@dataclass(frozen=True)
class LetterData:
    case_no: int
    operator: str  # addressee
    counterfeit: CounterfeitLine
    genuine: GenuineLine | None
    office_name: str  # 菏泽市定陶区人民政府办公室: the letter is signed by it
    contact_unit: str  # who the platform answers to
    dated: date
    findings: list[str] = field(default_factory=list)  # what the 核实 found, one line each


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _font(run, name: str, size: float, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    # Word takes Chinese characters from the East Asian font, not from font.name.
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _paragraph(doc, text: str, *, size=16, font=SONG, bold=False, align=None, indent=True):
    paragraph = doc.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    paragraph.paragraph_format.line_spacing = Pt(28)
    _font(paragraph.add_run(text), font, size, bold)
    return paragraph


def _table(doc, data: LetterData) -> None:
    genuine = data.genuine
    rows = [
        ("项目", "假冒账号", "已备案的政务新媒体" if genuine else "说明"),
        ("运行平台", data.counterfeit.platform, genuine.platform if genuine else ""),
        ("账号名称", data.counterfeit.name, genuine.name if genuine else "未在本区备案"),
        (
            "账号（ID）",
            data.counterfeit.handle or "（见账号名称）",
            genuine.handle if genuine else "",
        ),
        ("备案号", "无", genuine.filing_no if genuine else ""),
        ("主办单位", "无", genuine.host_org if genuine else ""),
        ("认证情况", data.counterfeit.verification, ""),
    ]
    table = doc.add_table(rows=len(rows), cols=3)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for index, values in enumerate(rows):
        for column, value in enumerate(values):
            cell = table.cell(index, column)
            cell.width = Cm(3 if column == 0 else 6.5)
            run = cell.paragraphs[0].add_run(value)
            _font(run, HEI if index == 0 or column == 0 else SONG, 12, bold=index == 0)


def render_letter_docx(data: LetterData) -> bytes:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)

    _paragraph(
        doc,
        "关于立即关停假冒政务新媒体账号的函",
        size=22,
        font=HEI,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
    )
    _paragraph(
        doc, f"（假冒账号处置编号：{data.case_no}）", size=12, align=WD_ALIGN_PARAGRAPH.CENTER
    )
    _paragraph(doc, f"{data.operator}：", indent=False)
    counterfeit = data.counterfeit
    handle = f"（账号：{counterfeit.handle}）" if counterfeit.handle else ""
    if data.genuine is not None:
        genuine = data.genuine
        claim = (
            f"经核实，贵平台上的账号“{counterfeit.name}”{handle}假冒我区已备案的政务新媒体"
            f"“{genuine.name}”（{genuine.platform}账号：{genuine.handle}，备案号：{genuine.filing_no}，"
            f"主办单位：{genuine.host_org}），易误导公众，损害政府公信力。两个账号的情况如下："
        )
    else:
        claim = (
            f"经核实，贵平台上的账号“{counterfeit.name}”{handle}以政务机构名义开设，但未在我区政务"
            "新媒体备案登记，不是我区的政务新媒体，易误导公众，损害政府公信力。该账号情况如下："
        )
    _paragraph(doc, claim)
    _table(doc, data)
    if data.findings:
        findings = "；".join(line.strip().rstrip("。；;.") for line in data.findings)
        _paragraph(doc, f"核实情况：{findings}。")
    _paragraph(
        doc,
        f"根据{NOTICE}第五部分（二）“{NOTICE_RULE}”的要求，请贵平台立即关停上述假冒账号，"
        "并将处理结果函告我办。我办将同时通报网信部门依法依规处置。",
    )
    _paragraph(doc, f"联系单位：{data.contact_unit}")
    _paragraph(doc, "特此函告。")
    doc.add_paragraph()
    _paragraph(doc, data.office_name, align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    _paragraph(doc, chinese_date(data.dated), align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
