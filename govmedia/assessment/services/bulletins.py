"""通报 (通知第五部分（三）“对……进行通报”): a confirmed check's result as a government document —
scope and method, pass rate, failed and deducted accounts with reasons, commendations of the
best, and the rectification required with its deadline — numbered 〔year〕N号 per year,
published to every unit with a sampled account and kept with the check."""

from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from govmedia.audit.services import audit_record
from govmedia.core.errors import Forbidden, ServiceError
from govmedia.core.scope import get_scoped, may
from govmedia.core.versions import check_version
from govmedia.notifications.models import NotificationKind
from govmedia.notifications.services import notification_send

from ..documents import Bulletin as BulletinText
from ..documents import Section, render_bulletin_docx, render_bulletin_pdf
from ..models import Bulletin, BulletinCounter, Check, CheckState, ScoreSheet
from .checks import STRATA, failure_reasons

CHINESE_NUMBERS = "一二三四五六七八九十"


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _percent(part: int, whole: int) -> str:
    return f"{Decimal(part * 100) / whole:.1f}%" if whole else "—"


def _account_line(index: int, sheet: ScoreSheet, reason: str) -> str:
    account = sheet.account
    return f"{index}．{account.name}（{sheet.org.name}，{account.platform.name}）：{reason}。"


def bulletin_text(
    check: Check, *, doc_no: str, issued_on: date, due_on: date | None
) -> BulletinText:
    """What the bulletin says, from the confirmed sheets (no query per sheet's items beyond
    one prefetch)."""
    sheets = list(
        ScoreSheet.objects.filter(check_run=check)
        .select_related("account__platform", "org")
        .prefetch_related("items__indicator")
        .order_by("org__path", "account__name", "pk")
    )
    total = len(sheets)
    failed = [s for s in sheets if s.verdict == "不合格"]
    passed = [s for s in sheets if s.verdict == "合格"]
    deducted = [s for s in passed if s.score is not None and _deducted(s)]
    commend_count = int(getattr(settings, "ASSESSMENT_COMMEND_COUNT", 5))
    best = sorted(
        (s for s in passed if s.score is not None and s.score >= 90),
        key=lambda s: (-s.score, s.account.name),
    )[:commend_count]
    population = len(check.population)
    method = STRATA.get(check.strata_by, "")
    size = (
        f"按{_percent(int(check.ratio * 1000), 1000)}的比例"
        if check.ratio is not None
        else f"按{check.count}个的数量"
    )
    rubric = check.rubric
    opening = (
        f"根据《{rubric.name}》（{rubric.source_doc or '区政府办公室制定'}）和政务新媒体管理有关要求，"
        f"区政府办公室以{cn_date(timezone.localdate(check.check_at))}"
        f"{timezone.localtime(check.check_at):%H:%M}为监测时间点，"
        f"对全区{population}个政务新媒体{method}{size}随机抽取{total}个，开展了{check.get_kind_display()}"
        f"（检查期间自{cn_date(check.period_start)}起）。抽样随机种子为{check.seed}，"
        "抽查名单可据此复现。现将有关情况通报如下：",
    )
    sections = [
        Section(
            "一、总体情况",
            (
                f"本次共抽查政务新媒体{total}个，合格{len(passed)}个，不合格{len(failed)}个，"
                f"合格率{_percent(len(passed), total)}。",
            ),
        ),
        Section(
            "二、存在的主要问题",
            subheadings=(
                (
                    "（一）检查不合格的账号",
                    tuple(
                        _account_line(i, s, failure_reasons(s))
                        for i, s in enumerate(failed, start=1)
                    )
                    or ("本次检查未发现不合格账号。",),
                ),
                (
                    "（二）存在扣分问题的账号",
                    tuple(
                        _account_line(i, s, f"{failure_reasons(s)}，得分{_score(s)}")
                        for i, s in enumerate(deducted, start=1)
                    )
                    or ("无。",),
                ),
            ),
        ),
        Section(
            "三、表扬",
            (
                (
                    "以下账号更新及时、内容规范、互动回应积极，予以通报表扬："
                    + "、".join(f"{s.account.name}（{s.org.name}）" for s in best)
                    + "。"
                )
                if best
                else "本次检查无得分达到90分以上的账号。",
            ),
        ),
        Section(
            "四、整改要求",
            (
                (
                    f"请检查不合格和存在扣分问题账号的主办单位对照问题逐项整改，于{cn_date(due_on)}前"
                    "完成整改，并将整改情况报区政府办公室；区政府办公室将组织复查，"
                    "对整改不到位的予以再次通报。"
                )
                if due_on
                else "请各单位对照检查指标开展自查，持续做好政务新媒体日常管理。",
                "各单位要落实主体责任，严格执行“分级审核、先审后发”制度，确保信息更新及时、"
                "互动回应有效、内容安全可靠。",
            ),
        ),
    ]
    issuer = settings.ASSESSMENT_ISSUER
    return BulletinText(
        issuer_mark=issuer,
        doc_no=doc_no,
        title=f"关于{check.title}情况的通报",
        addressee="各镇人民政府、街道办事处，区政府各部门、各直属单位：",
        opening=opening,
        sections=tuple(sections),
        signer=issuer,
        date_text=cn_date(issued_on),
        cc=settings.ASSESSMENT_BULLETIN_CC,
        printer=issuer,
        printed_text=f"{cn_date(issued_on)}印发",
        failed_names=tuple(s.account.name for s in failed),
    )


def _deducted(sheet: ScoreSheet) -> bool:
    return any(
        item.outcome == "hit" and item.indicator.part == "deduct" for item in sheet.items.all()
    )


def _score(sheet: ScoreSheet) -> str:
    value = sheet.score
    return f"{value:.1f}".rstrip("0").rstrip(".") + "分"


def _next_serial(year: int) -> int:
    counter, _ = BulletinCounter.objects.get_or_create(year=year)
    counter = BulletinCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


@transaction.atomic
def bulletin_publish(*, actor, check_id, version, now: datetime | None = None) -> Bulletin:
    """Number, render and publish the bulletin of a confirmed check; every unit with a sampled
    account is notified, and from now on sees its own sheets."""
    if not may(actor, "assessment.manage"):
        raise Forbidden("只有区政府办公室可以发布通报")
    check = get_scoped(Check.objects.select_for_update(), actor, check_id, "manage")
    check_version(check, version, noun="检查")
    if check.state != CheckState.CONFIRMED:
        raise ServiceError("只有结果已确认、尚未通报的检查可以发布通报", field="version")
    now = now or timezone.now()
    issued_on = timezone.localdate(now)
    serial = _next_serial(issued_on.year)
    doc_no = f"{settings.ASSESSMENT_DOC_PREFIX}〔{issued_on.year}〕{serial}号"
    due = (
        check.sheets.filter(rectification__isnull=False)
        .order_by("-rectification__due_on")
        .values_list("rectification__due_on", flat=True)
        .first()
    )
    text = bulletin_text(check, doc_no=doc_no, issued_on=issued_on, due_on=due)
    bulletin = Bulletin.objects.create(
        check_run=check,
        year=issued_on.year,
        serial=serial,
        doc_no=doc_no,
        title=text.title,
        issued_on=issued_on,
        rectify_due_on=due,
        docx=render_bulletin_docx(text),
        pdf=render_bulletin_pdf(text),
        published_at=now,
        published_by=actor,
    )
    check.state = CheckState.PUBLISHED
    check.version += 1
    check.save(update_fields=["state", "version"])
    orgs = {sheet.org_id: sheet.org for sheet in check.sheets.select_related("org")}
    for org in orgs.values():
        notification_send(
            recipient_org=org,
            kind=NotificationKind.ASSESSMENT_BULLETIN,
            message=f"{doc_no}《{text.title}》已发布，请查看本单位账号的检查结果",
            obj=bulletin,
        )
    audit_record(
        actor=actor,
        action="assessment.bulletin_publish",
        obj=bulletin,
        object_repr=f"{doc_no} {text.title}"[:200],
        after={"doc_no": doc_no, "failed": len(text.failed_names), "units": len(orgs)},
    )
    return bulletin
