"""Review flows (审核流程) as data: defining them, and choosing the one in force for an article.

A unit administrator defines the flows of the unit: the unit's default, and optionally one for
an account, a content class, or both. The district office (平台管理员) defines the district
default — the flow of the district's root unit — and the district's mandatory steps
(区级必经环节) for content classes such as 重大政策 and 突发事件, appended to every run of that
class whatever the unit.

Resolution for an article, most specific first: account + class > account > class > unit >
nearest unit above > district default (the root's flow). Account flows count for the article's
targets; if its targets would need different account flows, the article must be split into one
article per account (adaptations), so that one run reviews one text under one flow.

Saving a flow refuses a step nobody may act on: each step needs at least one active user who
holds a reviewing role, either named or by role in a unit. Editing replaces the steps and bumps
the version; a run copies its steps when it starts (ReviewRunStep), so runs already started
never change.
"""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Q

from govmedia.audit.services import audit_record
from govmedia.core.errors import Conflict, Forbidden, ServiceError
from govmedia.core.roles import ACTIONS
from govmedia.core.scope import get_scoped, may, org_subtree_q
from govmedia.core.text import clean_text
from govmedia.core.versions import check_version
from govmedia.orgs.models import Organization
from govmedia.registry.models import MediaAccount
from govmedia.users.models import User

from ..deadlines import MAX_DAYS, MAX_HOURS
from ..models import (
    Article,
    ContentClass,
    FlowPurpose,
    LimitUnit,
    ReviewFlow,
    ReviewRun,
    ReviewRunStep,
    ReviewStep,
    Stage,
    StepMode,
    StepSource,
)

MAX_STEPS = 10
REVIEWING_ROLES = ACTIONS["publishing.review"]


# --- who may act on a step -------------------------------------------------------------------


def eligible_reviewers(*, reviewer_org_id, reviewer_role, user_ids):
    """Active users who hold a reviewing role: those with `reviewer_role` in `reviewer_org`,
    and the named users."""
    who = Q(pk__in=list(user_ids or ()))
    if reviewer_org_id and reviewer_role:
        who |= Q(org_id=reviewer_org_id, role=reviewer_role)
    return User.objects.filter(who, is_active=True, role__in=REVIEWING_ROLES)


def step_reviewers(step: ReviewStep):
    return eligible_reviewers(
        reviewer_org_id=step.reviewer_org_id,
        reviewer_role=step.reviewer_role,
        user_ids=step.reviewer_users.values_list("pk", flat=True),
    )


# --- defining flows --------------------------------------------------------------------------


@dataclass(frozen=True)
class StepSpec:
    stage: str
    mode: str
    limit_value: int
    limit_unit: str
    name: str = ""
    reviewer_org_id: int | None = None
    reviewer_role: str = ""
    reviewer_user_ids: tuple[int, ...] = ()

    @property
    def label(self) -> str:
        return self.name or dict(Stage.choices).get(self.stage, self.stage)


def _one_line(value, *, field: str, label: str) -> str:
    """A name on one line: control characters dropped (core.text), runs of spaces made one."""
    return " ".join(clean_text(value, field=field, label=label, multiline=False).split())


def _int(value, *, field: str, message: str) -> int:
    if isinstance(value, bool):
        raise ServiceError(message, field=field)
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ServiceError(message, field=field) from None


def _spec(actor, index: int, raw: dict) -> StepSpec:
    where = f"第 {index} 个审核环节"
    if not isinstance(raw, dict):
        raise ServiceError(f"{where}格式无效", field="steps")
    stage = raw.get("stage")
    if stage not in Stage.values:
        raise ServiceError(f"{where}：请选择审级（初审、复审或终审）", field="steps")
    name = _one_line(raw.get("name"), field="steps", label=f"{where}的环节名称")
    if len(name) > 60:
        raise ServiceError(f"{where}：环节名称不得超过 60 个字", field="steps")
    mode = raw.get("mode", StepMode.ANY)
    if mode not in StepMode.values:
        raise ServiceError(f"{where}：请选择通过方式（任一人通过或全部通过）", field="steps")
    unit = raw.get("limit_unit")
    if unit not in LimitUnit.values:
        raise ServiceError(f"{where}：请选择时限单位（工作小时或工作日）", field="steps")
    ceiling = MAX_HOURS if unit == LimitUnit.HOURS else MAX_DAYS
    limit = _int(
        raw.get("limit_value"),
        field="steps",
        message=f"{where}：时限应为 1 至 {ceiling} 之间的整数",
    )
    if not 1 <= limit <= ceiling:
        raise ServiceError(f"{where}：时限应为 1 至 {ceiling} 之间的整数", field="steps")
    role = str(raw.get("reviewer_role") or "")
    org_id = raw.get("reviewer_org_id")
    if bool(role) != bool(org_id):
        raise ServiceError(f"{where}：按角色指定审核人时，须同时选择单位和角色", field="steps")
    if role and role not in REVIEWING_ROLES:
        raise ServiceError(f"{where}：所选角色没有审核稿件的权限", field="steps")
    if org_id:
        org_id = _int(org_id, field="steps", message=f"{where}：审核人所在单位无效")
        if not Organization.objects.filter(org_subtree_q(actor, ""), pk=org_id).exists():
            raise ServiceError(f"{where}：只能选择本单位及下级单位的审核人", field="steps")
    user_ids = tuple(
        dict.fromkeys(
            _int(pk, field="steps", message=f"{where}：指定审核人无效")
            for pk in raw.get("reviewer_user_ids") or ()
        )
    )
    if user_ids:
        visible = set(
            User.objects.filter(org_subtree_q(actor, "org"), pk__in=user_ids).values_list(
                "pk", flat=True
            )
        )
        if set(user_ids) - visible:
            raise ServiceError(f"{where}：只能指定本单位及下级单位的人员为审核人", field="steps")
    spec = StepSpec(stage, mode, limit, unit, name, org_id or None, role, user_ids)
    if not eligible_reviewers(
        reviewer_org_id=spec.reviewer_org_id, reviewer_role=role, user_ids=user_ids
    ).exists():
        raise ServiceError(
            f"审核环节“{spec.label}”（第 {index} 个）没有可用的审核人：请指定至少一名已启用、"
            "具有审核权限的人员，或选择有此类人员的单位和角色",
            field="steps",
        )
    return spec


def _specs(actor, steps) -> list[StepSpec]:
    if not steps:
        raise ServiceError("审核流程至少需要一个审核环节", field="steps")
    if len(steps) > MAX_STEPS:
        raise ServiceError(f"审核流程最多 {MAX_STEPS} 个环节", field="steps")
    positions = [raw.get("position") for raw in steps if isinstance(raw, dict)]
    if any(p is not None for p in positions):
        if None in positions or len(set(positions)) != len(positions):
            raise ServiceError("审核环节的顺序不能重复", field="steps")
        steps = sorted(steps, key=lambda raw: int(raw["position"]))
    return [_spec(actor, index, raw) for index, raw in enumerate(steps, start=1)]


def _write_steps(flow: ReviewFlow, specs: list[StepSpec]) -> None:
    flow.steps.all().delete()
    for position, spec in enumerate(specs, start=1):
        step = ReviewStep.objects.create(
            flow=flow,
            position=position,
            stage=spec.stage,
            name=spec.name,
            mode=spec.mode,
            limit_value=spec.limit_value,
            limit_unit=spec.limit_unit,
            reviewer_org_id=spec.reviewer_org_id,
            reviewer_role=spec.reviewer_role,
        )
        if spec.reviewer_user_ids:
            step.reviewer_users.set(spec.reviewer_user_ids)


def flow_snapshot(flow: ReviewFlow) -> dict:
    return {
        "name": flow.name,
        "org": flow.org_id,
        "purpose": flow.purpose,
        "account": flow.account_id,
        "content_class": flow.content_class,
        "is_active": flow.is_active,
        "version": flow.version,
        "steps": [
            {
                "stage": s.stage,
                "name": s.name,
                "mode": s.mode,
                "limit": f"{s.limit_value} {s.limit_unit}",
                "reviewer_org": s.reviewer_org_id,
                "reviewer_role": s.reviewer_role,
                "reviewer_users": sorted(s.reviewer_users.values_list("pk", flat=True)),
            }
            for s in flow.steps.order_by("position")
        ],
    }


def _district_root() -> Organization | None:
    return Organization.objects.filter(parent__isnull=True).order_by("pk").first()


def review_flow_create(
    *,
    actor,
    org_id: int,
    name: str,
    steps: list[dict],
    account_id: int | None = None,
    content_class: str = "",
    purpose: str = FlowPurpose.UNIT,
) -> ReviewFlow:
    """A flow of a unit (or, by the district office, the district default or a mandatory set)."""
    if not may(actor, "publishing.flows"):
        raise Forbidden("您无权设置审核流程")
    name = _one_line(name, field="name", label="流程名称")
    if not name or len(name) > 60:
        raise ServiceError("请填写流程名称（不超过 60 个字）", field="name")
    if purpose not in FlowPurpose.values:
        raise ServiceError("流程类型无效", field="purpose")
    if content_class and content_class not in ContentClass.values:
        raise ServiceError("内容类别无效", field="content_class")
    with transaction.atomic():
        org = Organization.objects.filter(org_subtree_q(actor, ""), pk=org_id).first()
        if org is None:
            raise Forbidden("只能为本单位及下级单位设置审核流程", field="org")
        account = None
        if account_id is not None:
            account = get_scoped(MediaAccount.objects.all(), actor, account_id)
            if not account.host_org.path.startswith(org.path):
                raise ServiceError(
                    "只能为本单位（及下级单位）的政务新媒体设置流程", field="account"
                )
        if purpose == FlowPurpose.DISTRICT_MANDATORY:
            root = _district_root()
            if not actor.sees_whole_district or root is None or org.pk != root.pk:
                raise Forbidden(
                    "区级必经环节只能由区政府办公室（平台管理员）在全区设置", field="org"
                )
            if not content_class or account is not None:
                raise ServiceError("区级必经环节须针对一个内容类别设置", field="content_class")
        specs = _specs(actor, steps)
        try:
            with transaction.atomic():
                flow = ReviewFlow.objects.create(
                    org=org,
                    name=name,
                    purpose=purpose,
                    account=account,
                    content_class=content_class or "",
                    created_by=actor,
                )
        except IntegrityError:
            raise Conflict(
                "该单位已有相同适用范围的启用流程，请修改那一个", field="content_class"
            ) from None
        _write_steps(flow, specs)
        audit_record(
            actor=actor, action="review_flow.create", obj=flow, org=org, after=flow_snapshot(flow)
        )
    return flow


def _locked_flow(actor, flow_id: int) -> ReviewFlow:
    if not may(actor, "publishing.flows"):
        raise Forbidden("您无权设置审核流程")
    flow = get_scoped(ReviewFlow.objects.all(), actor, flow_id, "flows")
    return ReviewFlow.objects.select_for_update(of=("self",)).get(pk=flow.pk)


def review_flow_update(
    *, actor, flow_id: int, version: int, name: str | None = None, steps: list[dict] | None = None
) -> ReviewFlow:
    """New name and/or steps. Runs already started keep the steps they copied."""
    with transaction.atomic():
        flow = _locked_flow(actor, flow_id)
        check_version(flow, version, noun="审核流程")
        before = flow_snapshot(flow)
        if name is not None:
            name = _one_line(name, field="name", label="流程名称")
            if not name or len(name) > 60:
                raise ServiceError("请填写流程名称（不超过 60 个字）", field="name")
            flow.name = name
        if steps is not None:
            _write_steps(flow, _specs(actor, steps))
        flow.version += 1
        flow.save()
        audit_record(
            actor=actor,
            action="review_flow.update",
            obj=flow,
            org=flow.org,
            before=before,
            after=flow_snapshot(flow),
        )
    return flow


def review_flow_deactivate(*, actor, flow_id: int, version: int) -> ReviewFlow:
    with transaction.atomic():
        flow = _locked_flow(actor, flow_id)
        check_version(flow, version, noun="审核流程")
        if not flow.is_active:
            raise Conflict("该审核流程已停用")
        flow.is_active = False
        flow.version += 1
        flow.save()
        audit_record(
            actor=actor,
            action="review_flow.deactivate",
            obj=flow,
            org=flow.org,
            after={"is_active": False, "version": flow.version},
        )
    return flow


# --- the flow in force -----------------------------------------------------------------------


def _specificity(flow: ReviewFlow, depth: dict[int, int]) -> tuple:
    return (flow.account_id is not None, bool(flow.content_class), depth[flow.org_id])


def resolve_flow(article: Article) -> tuple[ReviewFlow | None, list[ReviewFlow]]:
    """The unit flow in force for the article, and the district's mandatory flows of its class.

    Raises ServiceError when its targets need different account flows."""
    chain = [*article.org.ancestor_ids(), article.org_id]
    depth = {org_id: index for index, org_id in enumerate(chain)}
    account_ids = list(article.targets.values_list("account_id", flat=True))
    candidates = list(
        ReviewFlow.objects.filter(
            Q(account__isnull=True) | Q(account_id__in=account_ids),
            Q(content_class="") | Q(content_class=article.content_class),
            org_id__in=chain,
            purpose=FlowPurpose.UNIT,
            is_active=True,
        ).select_related("account")
    )
    account_flows = {}
    for flow in candidates:
        if flow.account_id is None:
            continue
        best = account_flows.get(flow.account_id)
        if best is None or _specificity(flow, depth) > _specificity(best, depth):
            account_flows[flow.account_id] = flow
    distinct = {flow.pk: flow for flow in account_flows.values()}
    if len(distinct) > 1 or (distinct and len(account_flows) < len(account_ids)):
        names = "、".join(sorted(f"“{f.account.name}”" for f in account_flows.values()))
        raise ServiceError(
            f"发布账号{names}各有专门的审核流程，与其他发布账号不同：请按账号分别建立稿件"
            "（可从本稿件改编），每篇稿件按一个流程审核",
            field="targets",
        )
    flow = max(candidates, key=lambda f: _specificity(f, depth), default=None)
    mandatory = list(
        ReviewFlow.objects.filter(
            purpose=FlowPurpose.DISTRICT_MANDATORY,
            content_class=article.content_class,
            is_active=True,
        ).order_by("pk")
    )
    return flow, mandatory


@dataclass
class RunPlan:
    """The steps a run will copy: the unit flow's, then the district's mandatory ones."""

    flow: ReviewFlow | None
    steps: list[tuple[ReviewStep, str, list[int]]] = field(default_factory=list)

    def create_steps(self, run: ReviewRun) -> list[ReviewRunStep]:
        created = []
        for position, (step, source, reviewer_ids) in enumerate(self.steps, start=1):
            run_step = ReviewRunStep.objects.create(
                run=run,
                position=position,
                stage=step.stage,
                name=step.name,
                mode=step.mode,
                limit_value=step.limit_value,
                limit_unit=step.limit_unit,
                source=source,
                source_step=step,
            )
            run_step.reviewers.set(reviewer_ids)
            created.append(run_step)
        return created


def plan_run(article: Article, *, exclude: set[int]) -> RunPlan:
    """What a run of the article would be now; ServiceError naming the step nobody may take."""
    flow, mandatory = resolve_flow(article)
    if flow is None:
        raise ServiceError(
            "本单位尚未设置审核流程，也没有全区默认流程：请单位管理员先设置审核流程",
            field="flow",
            code="no_flow",
        )
    plan = RunPlan(flow)
    sources = [(flow, StepSource.UNIT)] + [(m, StepSource.DISTRICT) for m in mandatory]
    for source_flow, source in sources:
        for step in source_flow.steps.order_by("position"):
            ids = sorted(set(step_reviewers(step).values_list("pk", flat=True)) - exclude)
            if not ids:
                raise ServiceError(
                    f"审核环节“{step.label}”（{source_flow.name}）目前没有可用的审核人"
                    "（作者本人不能审核自己的稿件）：请单位管理员调整审核流程",
                    field="flow",
                    code="no_reviewer",
                )
            plan.steps.append((step, source, ids))
    return plan
