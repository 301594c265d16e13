"""Background work of 留言互动, run by django-q2 (see schedules.py).

- `pull_comments()` (every minute): the accounts due are pulled for comments (pulling.py).
- `sweep_message_deadlines()` (every 5 minutes): each unanswered message is reminded once on
  its last day (the handler, else the unit administrators), escalated once when its time limit
  passes (the unit administrators) and once more INTERACTION_ESCALATE_DAYS working days later
  (the district office). Each is claimed by a conditional UPDATE … WHERE <column> IS NULL whose
  row count says which worker won, so no notice is ever sent twice.
- `sweep_health_alerts()` (daily): an account that crossed a threshold this month is alerted
  once (the unique HealthAlert row is the claim).
"""

from datetime import datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from govmedia.notifications.models import NotificationKind
from govmedia.registry.models import AccountStatus, MediaAccount

from .models import OPEN_STATES, AlertKind, HealthAlert, Message
from .pulling import pull_due
from .selectors import interaction_figures
from .services.common import district_office_users, notify, notify_unit


def pull_comments() -> str:
    results = pull_due()
    new = sum(r.new for r in results)
    failed = sum(1 for r in results if r.error)
    return f"留言采集 {len(results)} 个账号，新留言 {new} 条，失败 {failed} 个"


class SweepResult(NamedTuple):
    reminded: int
    escalated: int
    district: int


def sweep_message_deadlines(now: datetime | None = None) -> str:
    result = sweep(now=now)
    return f"留言提醒 {result.reminded} 条，超期 {result.escalated} 条，督办 {result.district} 条"


def sweep(*, now: datetime | None = None) -> SweepResult:
    now = now or timezone.now()
    open_rows = Message.objects.filter(state__in=OPEN_STATES)
    # Latest stage first: a message found far past its limit is escalated, not also reminded.
    district = _claim_and_tell(
        open_rows.filter(district_due_at__lte=now, district_escalated_at__isnull=True),
        "district_escalated_at",
        now,
        _tell_district,
        also=("escalated_at", "reminded_at"),
    )
    escalated = _claim_and_tell(
        open_rows.filter(due_at__lte=now, escalated_at__isnull=True),
        "escalated_at",
        now,
        _tell_overdue,
        also=("reminded_at",),
    )
    reminded = _claim_and_tell(
        open_rows.filter(remind_at__lte=now, due_at__gt=now, reminded_at__isnull=True),
        "reminded_at",
        now,
        _tell_reminder,
    )
    return SweepResult(reminded, escalated, district)


def _claim_and_tell(rows, column: str, now: datetime, tell, also=()) -> int:
    won = 0
    ids = list(rows.values_list("pk", flat=True)[:5000])
    for start in range(0, len(ids), 200):
        with transaction.atomic():
            for pk in ids[start : start + 200]:
                claimed = Message.objects.filter(
                    pk=pk, state__in=OPEN_STATES, **{f"{column}__isnull": True}
                ).update(**{column: now})
                if not claimed:
                    continue
                # The earlier stages count as done: a later sweep never sends them late.
                for earlier in also:
                    Message.objects.filter(pk=pk, **{f"{earlier}__isnull": True}).update(
                        **{earlier: now}
                    )
                won += 1
                tell(Message.objects.select_related("org", "handler__org").get(pk=pk))
    return won


def _due(message) -> str:
    return f"{timezone.localtime(message.due_at):%Y-%m-%d %H:%M}"


def _tell_reminder(message) -> None:
    text = f"留言“{message.text[:40]}”将于 {_due(message)} 到期，请及时答复"
    if message.handler is not None and message.handler.is_active:
        notify(
            [message.handler], kind=NotificationKind.MESSAGE_DUE_SOON, message=message, text=text
        )
    else:
        notify_unit(message.org, kind=NotificationKind.MESSAGE_DUE_SOON, message=message, text=text)


def _tell_overdue(message) -> None:
    notify_unit(
        message.org,
        kind=NotificationKind.MESSAGE_OVERDUE,
        message=message,
        text=f"{message.org.name}的留言“{message.text[:40]}”已于 {_due(message)} 超期未答复",
    )


def _tell_district(message) -> None:
    notify(
        district_office_users(),
        kind=NotificationKind.MESSAGE_ESCALATED,
        message=message,
        text=f"督办：{message.org.name}的留言“{message.text[:40]}”已于 {_due(message)} "
        f"超期，至今未答复",
    )


def sweep_health_alerts(now: datetime | None = None) -> str:
    return f"互动回应预警 {len(raise_health_alerts(now=now))} 个账号"


def raise_health_alerts(*, now: datetime | None = None) -> list[HealthAlert]:
    """This month's figures of every running account; a crossing is alerted once a month."""
    now = now or timezone.now()
    local = timezone.localtime(now)
    month = local.date().replace(day=1)
    start = timezone.make_aware(datetime.combine(month, datetime.min.time()))
    accounts = {
        a.pk: a
        for a in MediaAccount.objects.filter(status=AccountStatus.RUNNING).select_related(
            "host_org"
        )
    }
    figures = interaction_figures(
        account_ids=accounts, start=start, end=now + timedelta(0), now=now
    )
    raised = []
    for account_id, f in figures.items():
        if not f.received:
            continue
        crossings = []
        if not f.working_interaction and f.unanswered_overdue:
            crossings.append(
                (
                    AlertKind.NO_WORKING_INTERACTION,
                    f"本月收到留言 {f.received} 条，无一答复（单项否决风险）",
                )
            )
        share = 100 * f.unanswered_overdue / f.received
        if f.working_interaction and share >= settings.INTERACTION_ALERT_OVERDUE_PERCENT:
            crossings.append(
                (
                    AlertKind.OVERDUE,
                    f"本月 {f.received} 条留言中 {f.unanswered_overdue} 条超期未答复",
                )
            )
        for kind, detail in crossings:
            alert = _raise(accounts[account_id], kind, month, detail, now)
            if alert is not None:
                raised.append(alert)
    return raised


def _raise(account, kind, month, detail, now) -> HealthAlert | None:
    try:
        with transaction.atomic():
            alert = HealthAlert.objects.create(
                account=account, kind=kind, month=month, detail=detail, raised_at=now
            )
            text = f"“{account.name}”互动回应预警：{detail}"
            from govmedia.notifications.services import notification_send
            from govmedia.publishing.services.common import unit_administrators

            for user in unit_administrators(account.host_org) + district_office_users():
                notification_send(
                    recipient_org=user.org,
                    recipient_user=user,
                    kind=NotificationKind.INTERACTION_ALERT,
                    obj=account,
                    message=text,
                )
    except IntegrityError:
        return None  # alerted already this month
    return alert
