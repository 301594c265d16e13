"""The roles of DESIGN.md and what each may do.

A role grants actions ("orgs.change"); where it may do them is the user's org subtree, decided by
`govmedia.core.scope`. Keeping the two apart means one table to read for "who may do what".
"""

from django.db import models


class Role(models.TextChoices):
    PLATFORM_ADMIN = "platform_admin", "平台管理员"
    SUPERVISOR_REVIEWER = "supervisor_reviewer", "主管单位审核人"
    UNIT_ADMIN = "unit_admin", "单位管理员"
    EDITOR = "editor", "编辑"
    REVIEWER = "reviewer", "审核人"
    OVERSIGHT = "oversight", "监督"


ROLE_HELP = {
    Role.PLATFORM_ADMIN: "区政府办公室电子政务中心：单位、用户、日历、词库、备案终审、抽查与通报",
    Role.SUPERVISOR_REVIEWER: "主管单位：审核所属单位的备案（备案表“主管单位签章”）",
    Role.UNIT_ADMIN: "各镇街、部门：本单位的政务新媒体、备案、管理队伍与审核人",
    Role.EDITOR: "本单位工作人员或委托的运维机构：撰写稿件、答复网民留言",
    Role.REVIEWER: "单位负责人：分级审核（初审、复审、终审）",
    Role.OVERSIGHT: "宣传部、网信办：只读监督全部单位，参与舆情处置",
}

# Roles whose holders see every organization; all others see their own subtree only.
DISTRICT_WIDE_ROLES = frozenset({Role.PLATFORM_ADMIN, Role.OVERSIGHT})

# 等保2.0 三级 asks two-factor authentication of administrators.
TOTP_REQUIRED_ROLES = frozenset({Role.PLATFORM_ADMIN})

VIEW_ALL = frozenset(Role)

ACTIONS: dict[str, frozenset[Role]] = {
    "orgs.view": VIEW_ALL,
    "orgs.change": frozenset({Role.PLATFORM_ADMIN, Role.UNIT_ADMIN}),
    # Abolishing and merging follow 机构改革 decided at district level.
    "orgs.restructure": frozenset({Role.PLATFORM_ADMIN}),
    # Who oversees a unit is not the unit's to decide: its 主管单位 (who co-signs its filings) and
    # the type of a unit that hosts 政务新媒体 (which decides the 集约化 rules) are set by the
    # district office; a unit administrator asks it to change them.
    "orgs.oversight": frozenset({Role.PLATFORM_ADMIN}),
    "users.view": frozenset({Role.PLATFORM_ADMIN, Role.UNIT_ADMIN, Role.OVERSIGHT}),
    "users.change": frozenset({Role.PLATFORM_ADMIN, Role.UNIT_ADMIN}),
    "audit.view": frozenset({Role.PLATFORM_ADMIN, Role.UNIT_ADMIN, Role.OVERSIGHT}),
    # The interface documentation: for those who connect other systems to the platform (the
    # district office; a unit linking its own site, 通知第二部分（一） 集约化), not every clerk.
    "api.docs": frozenset({Role.PLATFORM_ADMIN, Role.UNIT_ADMIN}),
    # The working-day calendar is district-wide: only the platform administrators edit it.
    "calendar.change": frozenset({Role.PLATFORM_ADMIN}),
    "registry.view": VIEW_ALL,
    "registry.change": frozenset({Role.PLATFORM_ADMIN, Role.UNIT_ADMIN}),
    "filings.view": VIEW_ALL,
    # The personal mobiles of a 备案表's 管理队伍, in full (others see 138****0001): the units that
    # own the account and the district office; 监督 reads the registry but not these numbers.
    "registry.phones": frozenset(Role) - {Role.OVERSIGHT},
    "filings.change": frozenset({Role.PLATFORM_ADMIN, Role.UNIT_ADMIN}),
    # 主管单位签章: the supervising unit's reviewer (or its unit administrator) co-signs.
    "filings.supervise": frozenset(
        {Role.SUPERVISOR_REVIEWER, Role.UNIT_ADMIN, Role.PLATFORM_ADMIN}
    ),
    # 通知附件“主管单位签章”: besides them, a 审核人 whom the supervising unit designates (a
    # registry.CoSigner row) co-signs; the unit administrator designates.
    "filings.designated_co_sign": frozenset({Role.REVIEWER}),
    "filings.designate": frozenset({Role.PLATFORM_ADMIN, Role.UNIT_ADMIN}),
    # Final 备案 is the district office's (区政府办公室电子政务中心).
    "filings.approve": frozenset({Role.PLATFORM_ADMIN}),
    "registry.exception": frozenset({Role.PLATFORM_ADMIN}),
    "registry.platforms": frozenset({Role.PLATFORM_ADMIN}),
    # 政府网账号 (the district's own accounts, which take 发布申请): marked by the district office.
    "registry.government_site": frozenset({Role.PLATFORM_ADMIN}),
    # 站内通知: each sees those of their own unit (see notifications.models).
    "notifications.view": VIEW_ALL,
    # Every user may screen a text; lexicons are the district office's, and a unit administrator
    # adds the unit's own terms (the scope rule is in screening.models.LexiconTermQuerySet).
    "screening.check": VIEW_ALL,
    "screening.manage": frozenset({Role.PLATFORM_ADMIN, Role.UNIT_ADMIN}),
    # 更新监测 (第二部分（二）): everyone reads within scope; units may ask for a pull now.
    "monitoring.view": VIEW_ALL,
    "monitoring.pull": frozenset({Role.PLATFORM_ADMIN, Role.UNIT_ADMIN}),
    # 整改 of published content (第四部分（三）): the unit corrects, the district office confirms.
    "rectification.view": VIEW_ALL,
    "rectification.resolve": frozenset({Role.PLATFORM_ADMIN, Role.UNIT_ADMIN, Role.EDITOR}),
    "rectification.confirm": frozenset({Role.PLATFORM_ADMIN}),
    # 稿件审核与发布 (第四部分（二）“分级审核、先审后发、授权发布”): everyone reads within scope;
    # editors write; reviewers review (who reviews which step is the flow's data); the unit
    # administrator keeps the flows and the 授权发布人. `publishing.publish` only opens the door:
    # a valid PublishGrant for the account decides who actually may publish.
    "publishing.view": VIEW_ALL,
    "publishing.write": frozenset({Role.PLATFORM_ADMIN, Role.UNIT_ADMIN, Role.EDITOR}),
    "publishing.review": frozenset({Role.PLATFORM_ADMIN, Role.UNIT_ADMIN, Role.REVIEWER}),
    "publishing.flows": frozenset({Role.PLATFORM_ADMIN, Role.UNIT_ADMIN}),
    "publishing.grants": frozenset({Role.PLATFORM_ADMIN, Role.UNIT_ADMIN}),
    "publishing.publish": frozenset(
        {Role.PLATFORM_ADMIN, Role.UNIT_ADMIN, Role.EDITOR, Role.REVIEWER}
    ),
    # 未经审核发布: a post matching no approved revision; only the district office may dismiss
    # one as a false positive (误判), with a reason.
    "publishing.unapproved_dismiss": frozenset({Role.PLATFORM_ADMIN}),
    # 协同转载 (通知第二部分（三）“整体联动、集体发声”): the district office, or a unit for its own
    # subtree, issues repost tasks to the accounts below it and exempts a task with a reason;
    # the target unit's staff report a repost by its link (the next pull confirms it).
    "coordination.view": VIEW_ALL,
    "coordination.issue": frozenset({Role.PLATFORM_ADMIN, Role.UNIT_ADMIN}),
    "coordination.complete": frozenset({Role.PLATFORM_ADMIN, Role.UNIT_ADMIN, Role.EDITOR}),
    # 发布申请 (第二部分（三）“需要政府网站发布的信息，应协商一致后发布”): a unit's staff ask the
    # 政府网 accounts to publish an article; the district office accepts it into the district's
    # review flow, returns it with a reason, or records its publication.
    # 催办: the issuer of a repost task, and a 行业主管部门 for its enterprises' tasks, remind the
    # target units of open tasks (once a working day).
    "coordination.remind": frozenset({Role.PLATFORM_ADMIN, Role.UNIT_ADMIN}),
    "coordination.request": frozenset({Role.PLATFORM_ADMIN, Role.UNIT_ADMIN, Role.EDITOR}),
    "coordination.handle_request": frozenset({Role.PLATFORM_ADMIN}),
    # 留言互动 (通知第三部分（二）“群众需求迅速捕捉、疑问疑惑限时解答”): everyone reads the
    # messages of their units' accounts; editors enter, classify and draft replies; the unit
    # administrator assigns and returns (退回) messages; 转办 to another unit is the district
    # office's (`interaction.dispatch`); a reply is reviewed by the unit's flow for 答复.
    "interaction.view": VIEW_ALL,
    "interaction.handle": frozenset({Role.PLATFORM_ADMIN, Role.UNIT_ADMIN, Role.EDITOR}),
    "interaction.assign": frozenset({Role.PLATFORM_ADMIN, Role.UNIT_ADMIN}),
    "interaction.dispatch": frozenset({Role.PLATFORM_ADMIN}),
    # 通知第四部分（二）: every post is reviewed first; a repost task's reposts are exempted from
    # the units' review only by the district office, when it issues the task.
    "coordination.exempt_review": frozenset({Role.PLATFORM_ADMIN}),
    # 假冒账号 (通知第五部分（二）): every user may report one and sees the cases about the accounts
    # of their units; the district office verifies, writes to the platform and informs 网信.
    "counterfeit.view": VIEW_ALL,
    "counterfeit.report": VIEW_ALL,
    "counterfeit.change": frozenset({Role.PLATFORM_ADMIN}),
    # 舆情处置 (通知第四部分（三）“及时预警、科学研判、妥善处置、有效回应”): everyone reads cases within
    # scope (their subtree and the cases assigned to it) and may report a signal (a leader's call,
    # a 12345 transfer); units keep their 监测方案 and handle their cases; 转办 is the unit's within
    # its subtree and the district office's or 网信's anywhere; vendor imports are the district
    # office's (it buys the monitoring service). 监督 (宣传部、网信办) follows every case: comments,
    # raises the level and assigns (第四部分（三）: passed on to the responsible departments).
    "opinion.view": VIEW_ALL,
    "opinion.report": VIEW_ALL,
    "opinion.subscribe": frozenset({Role.PLATFORM_ADMIN, Role.UNIT_ADMIN}),
    "opinion.handle": frozenset({Role.PLATFORM_ADMIN, Role.UNIT_ADMIN, Role.EDITOR}),
    "opinion.assign": frozenset({Role.PLATFORM_ADMIN, Role.UNIT_ADMIN, Role.OVERSIGHT}),
    "opinion.raise": frozenset({Role.PLATFORM_ADMIN, Role.UNIT_ADMIN, Role.OVERSIGHT}),
    "opinion.comment": VIEW_ALL,
    "opinion.import": frozenset({Role.PLATFORM_ADMIN}),
    # 舆情简报 covers the whole district: read and generated by the district-wide roles.
    "opinion.brief": frozenset({Role.PLATFORM_ADMIN, Role.OVERSIGHT}),
    # 账号密码保护 (第五部分（二）): the owning unit's administrators and the district office;
    # 监督 never sees a secret (credentials.models.SecretQuerySet refuses it too).
    "credentials.view": frozenset({Role.PLATFORM_ADMIN, Role.UNIT_ADMIN}),
    "credentials.change": frozenset({Role.PLATFORM_ADMIN, Role.UNIT_ADMIN}),
    "credentials.reveal": frozenset({Role.PLATFORM_ADMIN, Role.UNIT_ADMIN}),
    # 检查考核 (通知第五部分（三）“定期开展抽查，对……进行通报”): the rubric (检查指标) is district
    # data everyone reads and the district office keeps; checks, sampling, scoring, confirmation
    # and bulletins are the district office's; a unit reads its own sheets once the bulletin is
    # published (assessment.models) and answers its rectification items.
    "assessment_rubric.view": VIEW_ALL,
    "assessment_rubric.change": frozenset({Role.PLATFORM_ADMIN}),
    "assessment.view": VIEW_ALL,
    "assessment.manage": frozenset({Role.PLATFORM_ADMIN}),
    "assessment.score": frozenset({Role.PLATFORM_ADMIN}),
    "assessment.confirm": frozenset({Role.PLATFORM_ADMIN}),
    # 咨询答问库 (第三部分（二）“统一、权威、全面的咨询答问库”): every user reads the published
    # library (the public too, on /qa/search/); units write their own entries; the district office
    # reviews every revision before it is published (one authority for a library the whole
    # district and the 政府网站集约化平台 share) and imports the platform's exchange files.
    "qa.view": VIEW_ALL,
    "qa.change": frozenset({Role.PLATFORM_ADMIN, Role.UNIT_ADMIN, Role.EDITOR}),
    "qa.review": frozenset({Role.PLATFORM_ADMIN}),
    # Recording which suggested answer was taken for a message: whoever answers messages.
    "qa.suggest": frozenset({Role.PLATFORM_ADMIN, Role.UNIT_ADMIN, Role.EDITOR, Role.REVIEWER}),
    # 掌上办事入口 (第三部分（三）“掌上办、快速办”): units keep their accounts' service links; the
    # checker's findings (功能无法使用) are 整改 items (rectification.* above).
    "servicelinks.view": VIEW_ALL,
    "servicelinks.change": frozenset({Role.PLATFORM_ADMIN, Role.UNIT_ADMIN, Role.EDITOR}),
    "servicelinks.check": frozenset({Role.PLATFORM_ADMIN, Role.UNIT_ADMIN}),
}

# A unit administrator may hand out only the roles of a unit, never district-wide power.
ASSIGNABLE_BY = {
    Role.PLATFORM_ADMIN: frozenset(Role),
    Role.UNIT_ADMIN: frozenset(
        {Role.UNIT_ADMIN, Role.EDITOR, Role.REVIEWER, Role.SUPERVISOR_REVIEWER}
    ),
}


# 监督 (宣传部、网信办) reads everything in scope and changes nothing; of the acts of the platform it
# only reports 假冒账号, screens a text, and follows 舆情 cases (reports, comments, raises the level,
# assigns: 第四部分（三）) and makes their 简报. tests/core/test_roles.py holds ACTIONS to this.
OVERSIGHT_MAY_ACT = frozenset(
    {
        "counterfeit.report",
        "screening.check",
        "opinion.report",
        "opinion.assign",
        "opinion.raise",
        "opinion.comment",
        "opinion.brief",
    }
)


def role_allows(role: str, action: str) -> bool:
    try:
        return role in ACTIONS[action]
    except KeyError:
        raise KeyError(f"unknown action {action!r}: add it to ACTIONS") from None
