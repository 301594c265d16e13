"""The notifications of the filing lifecycle, one per person per step, sent inside the
transaction of the step (so a refused or rolled-back step notifies no one):

- 提交: the supervising unit (which must co-sign) and the district office;
- 主管单位审核通过: the filing unit and the district office (which must now file it);
- 退回: the filing unit and whoever submitted it, with the reason;
- 准予备案: the filing unit and whoever submitted it, with the 备案号.
"""

from django.urls import reverse

from govmedia.notifications.models import NotificationKind
from govmedia.notifications.services import notification_send_each

from .models import Filing
from .next_step import district_office


def _send(filing: Filing, kind: str, message: str, recipients) -> None:
    notification_send_each(
        recipients=recipients,
        kind=kind,
        message=message,
        link=reverse("registry:filing_detail", args=[filing.pk]),
        obj=filing,
    )


def _title(filing: Filing) -> str:
    return f"{filing.get_kind_display()}备案“{filing.name}”"


def submitted(filing: Filing) -> None:
    waits = (
        f"待 {filing.supervisor.name} 主管单位审核"
        if filing.supervisor_id
        else "待区政府办公室备案"
    )
    _send(
        filing,
        NotificationKind.FILING_SUBMITTED,
        f"{filing.org.name}提交了{_title(filing)}，{waits}",
        [filing.supervisor, district_office()],
    )


def co_signed(filing: Filing) -> None:
    _send(
        filing,
        NotificationKind.FILING_CO_SIGNED,
        f"{filing.org.name}的{_title(filing)}已经主管单位“{filing.supervisor.name}”审核通过，"
        "待区政府办公室备案",
        [filing.org, district_office()],
    )


def returned(filing: Filing) -> None:
    _send(
        filing,
        NotificationKind.FILING_RETURNED,
        f"{_title(filing)}被退回，退回理由：{filing.returned_reason}。请修改后重新提交",
        [filing.org, filing.submitted_by],
    )


def approved(filing: Filing) -> None:
    _send(
        filing,
        NotificationKind.FILING_APPROVED,
        f"{_title(filing)}已准予备案，备案号 {filing.filing_no}",
        [filing.org, filing.submitted_by],
    )
