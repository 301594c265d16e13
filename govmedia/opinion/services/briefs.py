"""舆情简报 made and kept: on demand from the briefs page (district-wide roles) and by the
schedule (tasks.make_scheduled_briefs: each morning the day before, on Mondays the week before).
Rendering happens before the transaction (a PDF takes a second or two); the 期数 is taken and
the brief stored and audited in one transaction."""

from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from govmedia.audit.services import audit_record
from govmedia.core.errors import Forbidden, ServiceError
from govmedia.core.scope import may, sees_whole_district
from govmedia.officialdoc import render_docx, render_pdf
from govmedia.officialdoc.fonts import CjkFontNotFound

from .. import briefs
from ..models import BriefKind, OpinionBrief

ATTEMPTS = 3  # two makers taking the same 期数 at once: the loser takes the next


def brief_generate(
    *, actor, kind: str, day: date, now: datetime | None = None, is_demo: bool = False
) -> OpinionBrief:
    """The brief of `day` (daily) or of the week holding it (weekly), as at now for a period
    not over yet. `actor` None: the schedule."""
    if actor is not None and (not may(actor, "opinion.brief") or not sees_whole_district(actor)):
        raise Forbidden("舆情简报覆盖全区，仅区政府办公室和监督用户可以生成")
    if kind not in BriefKind.values:
        raise ServiceError("请选择简报类型（日报或周报）", field="kind")
    now = now or timezone.now()
    period = briefs.period_of(kind, day, now=now)
    if period.start >= now:
        raise ServiceError("简报期间尚未开始，请选择今天或以前的日期", field="day")
    data = briefs.gather(period)
    title = briefs.title_of(period)
    for attempt in range(ATTEMPTS):
        serial = (
            OpinionBrief.objects.filter(kind=kind, year=period.first_day.year).aggregate(
                top=Max("serial")
            )["top"]
            or 0
        ) + 1
        document = briefs.document(period, data, serial=serial, title=title)
        docx = render_docx(document)
        try:
            pdf = render_pdf(document)
        except CjkFontNotFound as exc:
            raise ServiceError(str(exc)) from None
        try:
            with transaction.atomic():
                brief = OpinionBrief.objects.create(
                    kind=kind,
                    year=period.first_day.year,
                    serial=serial,
                    title=title,
                    period_start=period.start,
                    period_end=period.end,
                    docx=docx,
                    pdf=pdf,
                    summary=briefs.summary(data),
                    generated_at=now,
                    generated_by=actor,
                    is_demo=is_demo,
                )
                audit_record(
                    actor=actor,
                    action="opinion.brief_generate",
                    obj=brief,
                    after={
                        "kind": kind,
                        "doc_no": brief.doc_no,
                        "period_start": period.start.isoformat(),
                        "period_end": period.end.isoformat(),
                    }
                    | brief.summary,
                )
            return brief
        except IntegrityError:
            if attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def scheduled_briefs(now: datetime | None = None) -> list[OpinionBrief]:
    """The day before's daily brief, and on Mondays the week before's weekly brief, each made
    once (a full period already kept is not made again)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = [(BriefKind.DAILY, today - timedelta(days=1))]
    if today.weekday() == 0:
        due.append((BriefKind.WEEKLY, today - timedelta(days=7)))
    made = []
    for kind, day in due:
        period = briefs.period_of(kind, day, now=now)
        kept = OpinionBrief.objects.filter(
            kind=kind, period_start=period.start, period_end=period.end
        )
        if not kept.exists():
            made.append(brief_generate(actor=None, kind=kind, day=day, now=now))
    return made


def brief_downloaded(*, actor, brief: OpinionBrief, fmt: str) -> None:
    """A download of a brief, audited (it carries the district's open cases)."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="opinion.brief_download",
            obj=brief,
            after={"doc_no": brief.doc_no, "format": fmt},
        )
