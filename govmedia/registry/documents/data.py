"""The input of the filing-form renderers: plain values, no ORM objects.

The caller (a Django view or task) copies a filing into these dataclasses, so the
renderers stay pure and can be tested and timed without a database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# 备案类型 in the order the attachment prints its checkboxes.
KIND_LABELS: dict[str, str] = {
    "open": "开设",
    "change": "变更",
    "suspend": "关停",
    "cancel": "注销",
}


@dataclass(frozen=True)
class TeamMember:
    """One line of the form's 管理队伍 block."""

    name: str = ""
    office_phone: str = ""
    mobile: str = ""


@dataclass(frozen=True)
class FilingFormData:
    district_name: str  # e.g. 菏泽市定陶区; goes into the title
    filing_no: str  # 备案号, e.g. 定陶新媒备〔2026〕第001号
    unit_name: str  # 单位名称
    filed_on: date | None  # 时间; None before it is filed: the form prints NOT_FILED_YET
    account_name: str  # 政务新媒体名称
    handle: str  # 账号
    platform: str  # 运行平台
    registrant: str  # 注册单位
    registered_on: date | None  # 注册时间
    kind: str  # one of KIND_LABELS
    positioning: str  # 功能定位
    verified: bool  # 官方认证
    operator: str  # 运维机构
    contact: str  # 联系人及联系电话
    notes: str  # 其他需要说明事项
    principal: TeamMember  # 单位主要负责人
    leader_in_charge: TeamMember  # 分管负责人
    person_responsible: TeamMember  # 具体负责人
    supervisor_name: str | None  # 主管单位
    office_name: str  # 备案机关, e.g. 区政府办公室; named in 备注 1–3

    def __post_init__(self) -> None:
        # Fail before drawing anything: a form with no ticked 备案类型 is not a filing.
        if self.kind not in KIND_LABELS:
            allowed = "、".join(f"{k}（{v}）" for k, v in KIND_LABELS.items())
            raise ValueError(f"备案类型“{self.kind}”无效，应为：{allowed}")
