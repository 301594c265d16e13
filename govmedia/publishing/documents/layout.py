"""What the 信息发布审核单 contains and where it goes, independent of PDF or DOCX.

Described as the filing form is (govmedia.registry.documents.form): cells on a millimetre grid
of an A4 page, fitted by the same code, so both renderers draw the same fields in the same
places and a long title or reason shrinks (or moves to a 附页) rather than push the signature
lines off the page.
"""

from __future__ import annotations

from datetime import datetime

from govmedia.registry.documents import texts
from govmedia.registry.documents.form import TABLE_W, Cell, Form, SignLine, Table
from govmedia.registry.documents.textclean import clean_text

from .data import ReviewSheetData, SheetStep

TITLE = "政务新媒体信息发布审核单"
NUMBER_LABEL = "稿件编号："
APPROVED = "已通过"  # the run's state label when every step approved

# Header block: label | value | label | value.
LABEL_W, VALUE_W, LABEL2_W = 26.0, 62.0, 24.0
VALUE2_W = TABLE_W - LABEL_W - VALUE_W - LABEL2_W
# Review block: 审核环节 | 审核人 | 审核意见及四关检查 | 审核时间 | 签字.
STEP_W = (20.0, 22.0, 70.0, 30.0)
SIGN_W = TABLE_W - sum(STEP_W)
ROW_H, STEP_ROW_H, HASH_PT, STEP_PT = 9.0, 15.0, 9.0, 10.0

NOTES = (
    "1．依据《关于进一步加强政务新媒体建设管理工作的通知》第四部分（二）："
    "分级审核、先审后发、授权发布，谁审查、谁负责；",
    "2．审核意见绑定内容指纹所标识的修订，修订后须重新审核；本单由审核记录生成，"
    "以系统记录为准，各审核人签字确认。",
)


def cn_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return f"{texts.cn_date(value.date())}\n{value:%H:%M}"


def checks_line(step: SheetStep) -> str:
    mark = lambda ticked: texts.CHECKED if ticked else texts.UNCHECKED  # noqa: E731
    return " ".join(f"{mark(ticked)}{label}" for label, ticked in step.checks)


def step_opinion(step: SheetStep) -> str:
    opinion = step.decision + (f"：{clean_text(step.reason)}" if step.reason else "")
    checks = checks_line(step)
    return f"{opinion}\n{checks}" if checks else opinion


def closing(data: ReviewSheetData) -> str:
    """The sheet's last word: 同意发布 only when the run approved the revision."""
    verdict = (
        "以上内容经逐级审核，同意发布。"
        if data.result == APPROVED
        else f"审核结果：{data.result or '未提交审核'}，未经审核通过不得发布（先审后发）。"
    )
    return verdict + "审核人对其审核意见负责（谁审查、谁负责）。"


def build_sheet(data: ReviewSheetData) -> Form:
    """The sheet as a Form (the filing form's description), ready for either renderer."""
    cells: list[Cell] = []
    heights: list[float] = []

    def row(*parts: tuple[str, float, bool, dict], height: float = ROW_H) -> None:
        x = 0.0
        for text, width, label, extra in parts:
            cells.append(
                Cell(row=len(heights), x=x, w=width, text=clean_text(text), label=label, **extra)
            )
            x += width
        heights.append(height)

    def labelled(label: str, value: str, **extra) -> None:
        row((label, LABEL_W, True, {}), (value, TABLE_W - LABEL_W, False, {"name": label} | extra))

    def pair(label: str, value: str, label2: str, value2: str) -> None:
        row(
            (label, LABEL_W, True, {}),
            (value, VALUE_W, False, {"name": label}),
            (label2, LABEL2_W, True, {}),
            (value2, VALUE2_W, False, {"name": label2}),
        )

    labelled("稿件标题", data.title)
    pair("内容类别", data.content_class, "修订版本", f"第{data.revision_number}版")
    labelled("发布账号", "；".join(data.accounts) or "（未选择）")
    labelled("内容指纹", data.revision_hash, size=HASH_PT)
    submitted = (
        f"{data.submitted_by}　{cn_datetime(data.submitted_at).replace(chr(10), ' ')}"
        if data.submitted_at
        else "未提交"
    )
    pair("撰稿人", data.author, "提交审核", submitted)
    pair("审核流程", data.flow_name or "—", "审核结果", data.result or "—")
    heads = ("环节", "审核人", "审核意见及四关检查", "审核时间", "签字")
    row(*((head, w, True, {}) for head, w in zip(heads, (*STEP_W, SIGN_W), strict=True)))
    first_step = len(heights)
    for step in data.steps or (SheetStep(stage="—", reviewer="—", decision="未提交审核"),):
        row(
            (step.stage, STEP_W[0], True, {}),
            (step.reviewer, STEP_W[1], False, {"name": f"{step.stage}审核人"}),
            (step_opinion(step), STEP_W[2], False, {"name": f"{step.stage}意见", "size": STEP_PT}),
            (cn_datetime(step.decided_at), STEP_W[3], False, {"size": STEP_PT}),
            ("", SIGN_W, False, {}),
            height=STEP_ROW_H,
        )
    acks = [
        f"{a.reviewer}：“{a.matched}”（{a.category}）— {a.reason}" for a in data.acknowledgements
    ]
    labelled("提醒核实", "\n".join(acks) or "无", size=STEP_PT)
    sign = (
        SignLine((("撰稿人（签字）：", 0.03), ("单位负责人（签字）：", 0.52))),
        SignLine(((texts.BLANK_DATE, 0.22), (texts.BLANK_DATE, 0.74))),
    )
    last = len(heights)
    cells.append(
        Cell(
            row=last,
            x=0.0,
            w=TABLE_W,
            text=closing(data),
            sign=sign,
        )
    )
    heights.append(ROW_H)
    return Form(
        filing_no=data.article_no,
        title=TITLE,
        unit_name=clean_text(data.unit_name),
        filed_on=texts.cn_date(data.printed_on),
        table=Table(
            row_min_heights=tuple(heights),
            cells=tuple(cells),
            stretch_rows=(*range(first_step, last - 1), last),
        ),
        notes=NOTES,
    )
