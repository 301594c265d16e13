"""/api/v1/assessment: checks, score sheets with their items and evidence, a checker's result
(override with a reason), published bulletins, 传播力 rankings and the annual assessment.

Thin, as the other apps' APIs: reads start from restrict()/get_scoped (a unit sees published
checks, its own sheets after publication, and nothing of another unit's: 404), writes call the
services, which check permission, scope and version in their transaction.
"""

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from govmedia.core.errors import NotFound
from govmedia.core.numbers import Id
from govmedia.core.scope import get_scoped

from . import selectors
from .models import CheckState, ItemResult, Outcome, ScoreSheet
from .services import evaluation

router = Router(tags=["检查考核"])


class AssessmentCheckOut(Schema):
    id: int
    title: str
    kind: str
    state: str
    state_label: str = Field(alias="get_state_display")
    check_at: datetime = Field(description="监测时间点")
    period_start: date
    rubric_id: int
    seed: int | None = Field(description="抽样随机种子（与抽查总体一起可复现抽查名单）")
    population: list = Field(description="抽查总体快照：[[账号编号, 层], …]")
    sample: list[int] = Field(description="抽中的账号编号")
    sampled: int
    failed: int


class ScoreSheetOut(Schema):
    id: int
    check_id: int = Field(alias="check_run_id")
    account_id: int
    account_name: str = Field(alias="account.name")
    org_id: int
    org_name: str = Field(alias="org.name")
    stratum: str
    checker_id: int | None
    state: str
    verdict: str
    score: Decimal | None
    vetoed: bool
    undetermined: bool
    version: int


class ScoreItemOut(Schema):
    id: int
    part: str = Field(alias="indicator.part")
    wording: str = Field(alias="indicator.wording")
    method: str = Field(alias="indicator.method")
    rule: str = Field(alias="indicator.rule")
    outcome: str
    occurrences: int
    auto_outcome: str
    auto_occurrences: int
    evidence: list
    note: str
    overridden: bool
    override_reason: str


class ScoreSheetDetail(ScoreSheetOut):
    items: list[ScoreItemOut]


class ScoreItemIn(Schema):
    version: int = Field(description="评分表的版本号（读取时的 version）")
    outcome: Outcome = Field(description="pass 未发现问题 / hit 发现问题")
    occurrences: int = Field(0, ge=0, le=1000)
    note: str = Field("", max_length=1000)
    reason: str = Field("", max_length=1000, description="改变自动评价结果时必填")
    evidence: list[dict] | None = Field(None, max_length=20)


class InfluenceRankingOut(Schema):
    account_id: int
    account_name: str = Field(alias="account.name")
    org_name: str = Field(alias="org.name")
    month: date
    rank: int
    posts: int
    reads: int
    likes: int
    shares: int
    comments: int
    wci: Decimal = Field(description="清博指数 WCI（V14.2 定义）")


class AnnualAssessmentOut(Schema):
    org_id: int
    org_name: str
    sheets: int
    passed: int
    named_failed: int
    rectifications: int
    rectified: int
    repost_rate: float | None
    components: dict
    total: Decimal | None


@router.get("/checks", response=list[AssessmentCheckOut], summary="检查列表")
@paginate(LimitOffsetPagination)
def list_checks(request, state: CheckState | None = None):
    rows = selectors.checks(request.auth)
    if state:
        rows = rows.filter(state=state.value)
    return rows.order_by("-check_at", "-pk")


@router.get("/checks/{check_id}", response=AssessmentCheckOut, summary="检查详情")
def get_check(request, check_id: Id):
    return get_scoped(selectors.checks(request.auth), request.auth, check_id)


@router.get("/checks/{check_id}/sheets", response=list[ScoreSheetOut], summary="检查的评分表")
@paginate(LimitOffsetPagination)
def list_sheets(request, check_id: Id):
    check = get_scoped(selectors.checks(request.auth), request.auth, check_id)
    return selectors.sheets(request.auth, check)


def _sheet(user, sheet_id, action="view") -> ScoreSheet:
    return get_scoped(ScoreSheet.objects.select_related("account", "org"), user, sheet_id, action)


def _detail(sheet: ScoreSheet) -> ScoreSheet:
    # The sheet with its items (related name "items"), their indicators in one query.
    sheet._prefetched_objects_cache = {
        "items": ItemResult.objects.filter(sheet=sheet).select_related("indicator")
    }
    return sheet


@router.get("/sheets/{sheet_id}", response=ScoreSheetDetail, summary="评分表（含各项结果与佐证）")
def get_sheet(request, sheet_id: Id):
    return _detail(_sheet(request.auth, sheet_id))


@router.post(
    "/sheets/{sheet_id}/items/{item_id}",
    response=ScoreSheetDetail,
    summary="记录一项结果（改变自动结果须说明理由，记入审计日志）",
)
def record_item(request, sheet_id: Id, item_id: Id, payload: ScoreItemIn):
    sheet = _sheet(request.auth, sheet_id, "score")
    if not ItemResult.objects.filter(pk=item_id, sheet=sheet).exists():
        raise NotFound("评分项不存在或您无权访问")
    evaluation.item_record(
        actor=request.auth,
        item_id=item_id,
        version=payload.version,
        outcome=payload.outcome.value,
        occurrences=payload.occurrences,
        note=payload.note,
        reason=payload.reason,
        evidence=payload.evidence,
    )
    return _detail(_sheet(request.auth, sheet_id))


@router.get("/rankings", response=list[InfluenceRankingOut], summary="传播力排行（同一平台内）")
@paginate(LimitOffsetPagination)
def list_rankings(
    request,
    month: date = Query(..., description="月份内任一日期（YYYY-MM-DD）"),
    platform_id: Id = Query(..., description="运行平台编号"),
    org_type: str = Query("", max_length=20, description="单位类型"),
):
    return selectors.rankings(request.auth, month=month, platform_id=platform_id, org_type=org_type)


@router.get("/annual", response=list[AnnualAssessmentOut], summary="年度考核（各单位）")
def get_annual(request, year: int = Query(..., ge=2000, le=2100)):
    return selectors.annual_assessment(request.auth, year)
