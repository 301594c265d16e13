"""Who must act next on a filing, and why: shown on every filing page ("待 区卫生健康局 主管单位
审核") so that no filing waits without anyone knowing it waits for them, and used by the stall
sweep (registry.stalls) to remind the right unit."""

from dataclasses import dataclass, field

from django.db.models import Q

from govmedia.core.roles import Role
from govmedia.orgs.models import Organization
from govmedia.users.models import User

from .models import Filing, FilingState

DISTRICT_OFFICE = "区政府办公室"


@dataclass(frozen=True)
class NextStep:
    text: str  # "待 区卫生健康局 主管单位审核"
    why: str  # the rule behind it
    org: Organization | None  # the unit that must act (None: the district office)
    people: list[User] = field(default_factory=list)  # who may take the step
    note: str = ""  # an explanation where the answer is not obvious


def district_office() -> Organization | None:
    return Organization.objects.filter(parent__isnull=True).order_by("pk").first()


def _unit_and_above(org: Organization) -> Q:
    """People of the unit and of the units above it, the district root excepted: a 镇街's staff
    act for its 内设机构 (scope.org_subtree_q)."""
    return Q(org_id__in=[*org.ancestor_ids()[1:], org.pk])


def co_signers(filing: Filing) -> list[User]:
    """Who may co-sign (主管单位签章) for the filing's supervising unit, its submitter excepted."""
    co_sign = Q(role__in=[Role.SUPERVISOR_REVIEWER, Role.UNIT_ADMIN]) | Q(
        role=Role.REVIEWER, co_signer__isnull=False
    )
    people = User.objects.filter(_unit_and_above(filing.supervisor), co_sign, is_active=True)
    if filing.submitted_by_id:
        people = people.exclude(pk=filing.submitted_by_id)
    return list(people.select_related("org").order_by("org__path", "role", "name"))


def _names(people: list[User]) -> str:
    return "、".join(f"{u.name}（{u.get_role_display()}）" for u in people)


def next_step(filing: Filing) -> NextStep | None:
    """The step the filing waits for, or None once it is filed."""
    state = filing.state
    if state == FilingState.FILED:
        return None
    if state in (FilingState.DRAFT, FilingState.RETURNED):
        filers = User.objects.filter(
            _unit_and_above(filing.org), role=Role.UNIT_ADMIN, is_active=True
        ).order_by("org__path", "name")
        why = (
            "已被退回，按退回理由修改后重新提交"
            if state == FilingState.RETURNED
            else "草稿尚未提交"
        )
        return NextStep(
            f"待 {filing.org.name} 提交",
            f"{why}；备案期限 {filing.due_on:%Y-%m-%d}（依据：通知附件备注1、2）",
            filing.org,
            list(filers),
        )
    if state == FilingState.SUBMITTED and filing.supervisor_id:
        supervisor = filing.supervisor
        people = co_signers(filing)
        note = ""
        if filing.org.path.startswith(supervisor.path):
            note = (
                f"备案单位“{filing.org.name}”"
                + (
                    "本身就是主管单位"
                    if filing.org_id == supervisor.pk
                    else f"是“{supervisor.name}”的下属单位"
                )
                + f"，由“{supervisor.name}”的主管单位审核人、单位管理员或单位指定的审核人审核"
                "（提交人本人不能审核自己提交的备案）"
            )
        if not people:
            note += (
                f"{'；' if note else ''}“{supervisor.name}”目前没有可以审核的人员："
                "请其单位管理员指定审核人，或联系区政府办公室"
            )
        return NextStep(
            f"待 {supervisor.name} 主管单位审核",
            "备案表须经主管单位签章（审核）后报区政府办公室备案（依据：通知附件）",
            supervisor,
            people,
            note,
        )
    office = district_office()
    admins = User.objects.filter(role=Role.PLATFORM_ADMIN, is_active=True).order_by("name")
    why = (
        f"主管单位“{filing.supervisor.name}”已审核，由区政府办公室办理备案"
        if state == FilingState.SUPERVISOR_APPROVED
        else "无主管单位，由区政府办公室直接备案"
    )
    return NextStep(f"待 {DISTRICT_OFFICE} 备案", why, office, list(admins))


def people_text(step: NextStep) -> str:
    return _names(step.people)
