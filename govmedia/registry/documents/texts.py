"""The fixed wording of 《政务新媒体备案表》, verbatim from the attachment of 菏定政办发〔2019〕7号.

Kept in one place so a reviewer can diff it against the notice, and so the PDF and
the DOCX can never drift apart in wording.
"""

from __future__ import annotations

from datetime import date

from .data import KIND_LABELS

TITLE_SUFFIX = "政务新媒体备案表"

# 备案单位签章: the commitment the filing unit signs and seals.
COMMITMENT = (
    "本单位已知悉新媒体管理规定，承诺落实各项安全保护技术措施，确保系统安全；"
    "承诺信息来源真实可靠，不制作、复制、发布、传播涉密信息、有害信息，确保信息安全。"
    "因本单位管理不当造成网络信息安全和舆情事件，一切责任由本单位自行承担。"
)

# 备注 1–3; the attachment names 区政府办公室, which is the district's filing office.
NOTES_HEAD = "备注："
NOTES = (
    "1．新开设的政务新媒体，应在开设后7个工作日内向{office}备案；",
    "2．变更、关停或注销政务新媒体的，应在变更、关停或注销后5个工作日内向{office}备案；",
    "3．本表格一式三份，单位留存一份，报{office}备案两份。",
)

# Signature lines; the wide gaps are where the hand signature and the date are written.
PRINCIPAL_SIGN = "主要负责人："
SEAL = "单位公章："
BLANK_DATE = "年　　月　　日"

CHECKED = "☑"
UNCHECKED = "□"
BOXES = frozenset({CHECKED, UNCHECKED})


def title(district_name: str) -> str:
    return f"{district_name.strip()}{TITLE_SUFFIX}"


def cn_date(value: date | None) -> str:
    """2026年11月25日, the way dates are written on Chinese official forms."""
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


def notes(office_name: str) -> list[str]:
    return [line.format(office=office_name.strip()) for line in NOTES]


def _box(ticked: bool) -> str:
    return CHECKED if ticked else UNCHECKED


def kind_options(kind: str) -> str:
    """□开设  □变更 / □关停  □注销, two per line as in the attachment."""
    marks = [f"{_box(key == kind)}{label}" for key, label in KIND_LABELS.items()]
    return f"{marks[0]}　{marks[1]}\n{marks[2]}　{marks[3]}"


def verified_options(verified: bool) -> str:
    return f"{_box(verified)}已认证　{_box(not verified)}未认证"


def copy_mark(number: int, total: int) -> str:
    return f"第{number}份/共{total}份"


# 时间 of a form not yet filed, as the page's preview shows it: the date is the district
# office's, written when it files the form.
NOT_FILED_YET = "备案后填写"
