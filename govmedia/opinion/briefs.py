"""舆情简报: what a daily or weekly brief says, read from the stored cases and signals of a period,
set as a government document (govmedia.officialdoc, GB/T 9704-2012).

A brief covers the district: counts by level, source and unit; the trend of signals and new
cases (a line chart of the last days or weeks, a bar chart of the new cases by level); every open
case with its stage and the time left at the end of the period; the cases closed in the period
with their response and closing report. Everything is read as at the period's end, so the brief
of a past period is the same whenever it is made (apart from cases changed since).
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from govmedia.officialdoc import Chart, OfficialDocument, Paragraph, Series, Style, Table

from .lifecycle import PRE_RESPONSE
from .models import (
    LEVEL_ORDER,
    BriefKind,
    CaseState,
    Level,
    OpinionCase,
    OpinionItem,
    Sentiment,
    SignalKind,
)

CHINESE_NUMBERS = "一二三四五六七八九十"
OPEN_SHOWN = 100  # open cases listed one by one; the rest are counted
CLOSED_SHOWN = 50
UNITS_SHOWN = 15
TREND_DAYS = {BriefKind.DAILY: 7, BriefKind.WEEKLY: 28}


@dataclass(frozen=True)
class Period:
    kind: str
    start: datetime
    end: datetime
    first_day: date
    last_day: date

    @property
    def label(self) -> str:
        if self.kind == BriefKind.DAILY:
            return cn_date(self.first_day)
        return f"{cn_date(self.first_day)}—{self.last_day.month}月{self.last_day.day}日"


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def period_of(kind: str, day: date, *, now: datetime | None = None) -> Period:
    """The Beijing day of `day`, or the week (Monday to Sunday) holding it; a period not over
    yet ends now."""
    first = day if kind == BriefKind.DAILY else day - timedelta(days=day.weekday())
    last = first + timedelta(days=0 if kind == BriefKind.DAILY else 6)
    start = timezone.make_aware(datetime.combine(first, time.min))
    end = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min))
    if now is not None and now < end:
        end = now
    return Period(kind, start, end, first, last)


def hours_text(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    if hours >= 0:
        return f"剩余 {hours:.1f} 小时"
    return f"已超时 {-hours:.1f} 小时"


def _cases():
    return OpinionCase.objects.filter(merged_into__isnull=True)


def gather(period: Period) -> dict:
    """The brief's figures and lists, as at the end of the period."""
    start, end = period.start, period.end
    new = _cases().filter(opened_at__gte=start, opened_at__lt=end)
    closed = (
        _cases()
        .filter(state=CaseState.CLOSED, closed_at__gte=start, closed_at__lt=end)
        .select_related("org", "response_article")
    )
    # Open at the end of the period: opened before it and not closed by then.
    open_cases = (
        _cases()
        .filter(opened_at__lt=end)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=end))
        .select_related("org")
        .order_by("due_at", "pk")
    )
    signals = OpinionItem.objects.filter(created_at__gte=start, created_at__lt=end)
    by_level = Counter(dict(new.values_list("level").annotate(n=Count("pk")).order_by()))
    open_by_level = Counter(
        dict(open_cases.values_list("level").annotate(n=Count("pk")).order_by())
    )
    closed_by_level = Counter(dict(closed.values_list("level").annotate(n=Count("pk")).order_by()))
    by_source = {
        kind: (n, negative)
        for kind, n, negative in signals.values_list("kind")
        .annotate(n=Count("pk"), negative=Count("pk", filter=Q(sentiment=Sentiment.NEGATIVE)))
        .order_by()
    }
    units: dict[str, list[int]] = {}
    for name, n in new.values_list("org__name").annotate(n=Count("pk")).order_by():
        units.setdefault(name, [0, 0, 0])[0] = n
    open_list = list(open_cases)
    for case in open_list:
        row = units.setdefault(case.org.name, [0, 0, 0])
        row[1] += 1
        if case.state in PRE_RESPONSE and case.due_at <= end:
            row[2] += 1
    overdue = sum(1 for c in open_list if c.state in PRE_RESPONSE and c.due_at <= end)
    return {
        "signals": signals.count(),
        "negative": signals.filter(sentiment=Sentiment.NEGATIVE).count(),
        "new": sum(by_level.values()),
        "by_level": by_level,
        "open_by_level": open_by_level,
        "closed_by_level": closed_by_level,
        "by_source": by_source,
        "units": sorted(units.items(), key=lambda kv: (-kv[1][0], -kv[1][1], kv[0])),
        "open": open_list,
        "overdue": overdue,
        "closed": list(closed.order_by("closed_at", "pk")),
        "trend": trend(period),
    }


def trend(period: Period) -> tuple[tuple[str, ...], tuple[float, ...], tuple[float, ...]]:
    """Signals and new cases per day over the days up to the period's last day."""
    days = TREND_DAYS[period.kind]
    first = period.last_day - timedelta(days=days - 1)
    start = timezone.make_aware(datetime.combine(first, time.min))
    signals = Counter(
        timezone.localtime(at).date()
        for at in OpinionItem.objects.filter(
            created_at__gte=start, created_at__lt=period.end
        ).values_list("created_at", flat=True)
    )
    cases = Counter(
        timezone.localtime(at).date()
        for at in _cases()
        .filter(opened_at__gte=start, opened_at__lt=period.end)
        .values_list("opened_at", flat=True)
    )
    dates = [first + timedelta(days=n) for n in range(days)]
    labels = tuple(f"{d.month}/{d.day}" for d in dates)
    return labels, tuple(float(signals[d]) for d in dates), tuple(float(cases[d]) for d in dates)


def _level_label(level: str) -> str:
    return Level(level).label


def _response(case: OpinionCase) -> str:
    parts = []
    if case.response_article_id:
        parts.append(f"发布回应稿件《{case.response_article.title}》")
    if case.response_url:
        parts.append(f"回应链接 {case.response_url}")
    if case.response_note:
        parts.append(case.response_note)
    return "；".join(parts) or "未记录回应"


def document(period: Period, data: dict, *, serial: int, title: str) -> OfficialDocument:
    levels = sorted(Level.values, key=lambda v: -LEVEL_ORDER[v])  # 特别重大 first
    new_levels = "、".join(f"{_level_label(v)}{data['by_level'].get(v, 0)}个" for v in levels)
    end_text = f"{timezone.localtime(period.end):%Y年%m月%d日%H:%M}"
    blocks: list = [
        Paragraph(f"{CHINESE_NUMBERS[0]}、总体情况", Style.HEADING),
        Paragraph(
            f"{period.label}，全区共收录舆情信息{data['signals']}条，其中负面{data['negative']}条；"
            f"新增舆情事件{data['new']}个，其中{new_levels}；办结{len(data['closed'])}个。"
            f"截至{end_text}，在办舆情事件{len(data['open'])}个，"
            f"其中超过回应时限{data['overdue']}个。"
        ),
        Table(
            ("等级", "新增", "在办", "办结"),
            tuple(
                (
                    _level_label(v),
                    str(data["by_level"].get(v, 0)),
                    str(data["open_by_level"].get(v, 0)),
                    str(data["closed_by_level"].get(v, 0)),
                )
                for v in levels
            ),
            caption="表1  舆情事件按等级统计",
        ),
        Table(
            ("来源", "信息条数", "其中负面"),
            tuple(
                (
                    label,
                    str(data["by_source"].get(kind, (0, 0))[0]),
                    str(data["by_source"].get(kind, (0, 0))[1]),
                )
                for kind, label in SignalKind.choices
            ),
            widths=(2, 1, 1),
            caption="表2  舆情信息按来源统计",
        ),
    ]
    units = data["units"][:UNITS_SHOWN]
    if units:
        blocks.append(
            Table(
                ("责任单位", "新增事件", "在办", "超时"),
                tuple((name, str(a), str(b), str(c)) for name, (a, b, c) in units),
                widths=(3, 1, 1, 1),
                caption="表3  舆情事件按责任单位统计",
            )
        )
    labels, signals, cases = data["trend"]
    blocks += [
        Paragraph(f"{CHINESE_NUMBERS[1]}、趋势", Style.HEADING),
        Chart(
            f"近{len(labels)}天舆情信息与新增事件",
            labels,
            (Series("舆情信息", signals), Series("新增事件", cases)),
            kind="line",
        ),
        Chart(
            "本期新增舆情事件按等级",
            tuple(_level_label(v) for v in levels),
            (Series("新增事件", tuple(float(data["by_level"].get(v, 0)) for v in levels)),),
            kind="bar",
        ),
        Paragraph(f"{CHINESE_NUMBERS[2]}、在办舆情事件", Style.HEADING),
    ]
    open_cases = data["open"]
    if open_cases:
        blocks.append(
            Table(
                ("事件", "责任单位", "等级", "阶段", "回应时限"),
                tuple(
                    (
                        c.title,
                        c.org.name,
                        c.get_level_display(),
                        c.get_state_display(),
                        hours_text(c.due_at - period.end) if c.state in PRE_RESPONSE else "已回应",
                    )
                    for c in open_cases[:OPEN_SHOWN]
                ),
                widths=(4, 2.2, 1.2, 1.2, 2),
            )
        )
        if len(open_cases) > OPEN_SHOWN:
            blocks.append(Paragraph(f"另有{len(open_cases) - OPEN_SHOWN}个在办事件未列出。"))
    else:
        blocks.append(Paragraph("截至本期末无在办舆情事件。"))
    blocks.append(Paragraph(f"{CHINESE_NUMBERS[3]}、本期办结舆情事件", Style.HEADING))
    closed = data["closed"]
    for index, case in enumerate(closed[:CLOSED_SHOWN], 1):
        blocks.append(
            Paragraph(
                f"{index}．{case.title}（{case.org.name}，{case.get_level_display()}）。"
                f"回应：{_response(case)}。办结报告：{case.closing_report or '—'}"
            )
        )
    if not closed:
        blocks.append(Paragraph("本期无办结舆情事件。"))
    elif len(closed) > CLOSED_SHOWN:
        blocks.append(Paragraph(f"另有{len(closed) - CLOSED_SHOWN}个办结事件未列出。"))
    issuer = settings.OPINION_BRIEF_ISSUER
    made_on = timezone.localdate(period.end - timedelta(microseconds=1))
    return OfficialDocument(
        issuer_mark=issuer,
        doc_no=f"{BriefKind(period.kind).label}〔{period.first_day.year}〕第{serial}期",
        title=title,
        addressee="",
        blocks=tuple(blocks),
        signer=issuer,
        date_text=cn_date(made_on),
        cc=settings.OPINION_BRIEF_CC,
        printer=issuer,
        printed_text=f"{cn_date(made_on)}印发",
    )


def title_of(period: Period) -> str:
    return f"{settings.DISTRICT_NAME}舆情{BriefKind(period.kind).label}（{period.label}）"


def summary(data: dict) -> dict:
    """A few figures kept with the brief, for its list page."""
    return {
        "signals": data["signals"],
        "negative": data["negative"],
        "new": data["new"],
        "open": len(data["open"]),
        "overdue": data["overdue"],
        "closed": len(data["closed"]),
    }
