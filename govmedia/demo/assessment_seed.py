"""Demo 检查考核: the default rubric (seeded by migration), one finished quarterly spot check
with its bulletin, and one monthly spot check in progress (sampled, assigned, automatic items
filled, manual items waiting). A second district-office administrator (吴考核) is the checker,
since the reviewer who confirms a sheet may not be the one who scored it.

Everything goes through the services, as real use would. Idempotent: the checks are found by
their titles.
"""

from datetime import datetime, time, timedelta
from io import BytesIO

from django.core.files.base import ContentFile
from django.utils import timezone

from govmedia.assessment.models import Check, ItemResult, Method, Outcome, ScoreSheet
from govmedia.assessment.services import bulletins, checks, evaluation, rubrics, screenshots
from govmedia.assessment.services.figures import figures_build_recent
from govmedia.users import services as user_services
from govmedia.users.models import User

from . import data

FINISHED = "2026年第三季度政务新媒体抽查（示例）"
IN_PROGRESS = "2026年11月政务新媒体月度抽查（示例）"
CHECKER = ("kaohe", "吴考核")
# One manual finding in the finished check, so the bulletin names a deduction with its reason.
MANUAL_FINDING = "发布、转发商业广告信息，或与本单位职能无关的信息"


def _checker(admin) -> User:
    user = User.objects.filter(username=CHECKER[0]).first()
    if user is None:
        user, _ = user_services.user_create(
            actor=admin,
            username=CHECKER[0],
            name=CHECKER[1],
            org=admin.org,
            role="platform_admin",
            password=data.DEMO_PASSWORD,
            is_demo=True,
            must_change_password=False,
        )
    return user


def _at(days_ago: int) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def _start(admin, checker, title, kind, *, days_ago, ratio, seed) -> Check:
    rubric = rubrics.rubric_default_ensure(year=2026)
    check_at = _at(days_ago)
    check = checks.check_create(
        actor=admin,
        title=title,
        kind=kind,
        rubric_id=rubric.pk,
        check_at=check_at,
        period_start=timezone.localdate(check_at) - timedelta(days=90),
        strata_by="platform",
        ratio=ratio,
    )
    Check.objects.filter(pk=check.pk).update(is_demo=True)
    check.refresh_from_db()
    check = checks.check_draw(actor=admin, check_id=check.pk, version=check.version, seed=seed)
    return checks.check_assign(
        actor=admin, check_id=check.pk, version=check.version, checker_ids=[checker.pk]
    )


def _score_all(checker, check) -> None:
    """The checker answers every manual or undetermined item (one manual finding on the first
    sheet), then submits each sheet."""
    sheets = list(ScoreSheet.objects.filter(check_run=check).order_by("account_id"))
    for index, sheet in enumerate(sheets):
        for item in ItemResult.objects.filter(sheet=sheet).select_related("indicator"):
            finding = index == 0 and item.indicator.wording == MANUAL_FINDING
            if item.outcome not in (Outcome.PENDING, Outcome.UNDETERMINED) and not finding:
                continue
            sheet.refresh_from_db()
            automatic = item.indicator.method == Method.AUTOMATIC and item.auto_outcome
            evaluation.item_record(
                actor=checker,
                item_id=item.pk,
                version=sheet.version,
                outcome=Outcome.HIT if finding else Outcome.PASS,
                occurrences=1 if finding else 0,
                note="检查人访问账号主页核实（示例）",
                reason="检查人访问账号主页核实，采集失败期间账号正常更新（示例）"
                if automatic
                else "",
                evidence=[{"label": "账号主页截图（示例）", "url": "https://example.com/demo.png"}],
            )
            if finding:
                screenshots.screenshot_attach(
                    actor=checker,
                    sheet_id=sheet.pk,
                    item_id=item.pk,
                    upload=ContentFile(_demo_png(), name="demo.png"),
                    label="发布的商业广告信息截图（示例）",
                )
        sheet.refresh_from_db()
        checks.sheet_submit(actor=checker, sheet_id=sheet.pk, version=sheet.version)


def _demo_png() -> bytes:
    """A plain picture standing in for a checker's screenshot."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (360, 640), (245, 245, 245))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 80, 340, 300), outline=(200, 40, 40), width=4)
    draw.text((30, 40), "screenshot (demo)", fill=(60, 60, 60))
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def seed_assessment() -> dict[str, int]:
    created = {"checks": 0, "bulletins": 0, "months": 0}
    admin = User.objects.filter(username="admin").first()
    if admin is None or Check.objects.filter(title=FINISHED, is_demo=True).exists():
        return created
    checker = _checker(admin)
    created["months"] = figures_build_recent(months=3)
    check = _start(admin, checker, FINISHED, "quarterly", days_ago=10, ratio="0.3", seed=20260930)
    _score_all(checker, check)
    for sheet in ScoreSheet.objects.filter(check_run=check):
        checks.sheet_confirm(actor=admin, sheet_id=sheet.pk, version=sheet.version)
    check.refresh_from_db()
    check = checks.check_confirm(actor=admin, check_id=check.pk, version=check.version)
    bulletins.bulletin_publish(actor=admin, check_id=check.pk, version=check.version)
    _start(admin, checker, IN_PROGRESS, "monthly", days_ago=1, ratio="0.5", seed=20261130)
    created.update(checks=2, bulletins=1)
    return created
