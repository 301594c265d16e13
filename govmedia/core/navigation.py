"""The left navigation, by domain. Domains not built yet are listed (so users see where the
platform is going) and lead to a page saying so, never to a broken link."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url_name: str | None  # None: not built yet
    action: str | None = None  # the role action needed to see it
    basis: str = ""


NAVIGATION = (
    ("工作台", (NavItem("dashboard", "工作台", "dashboard:home"),)),
    (
        "登记备案",
        (
            NavItem("orgs", "单位管理", "orgs:tree", "orgs.view"),
            NavItem("registry", "政务新媒体", "registry:account_list", basis="通知第二部分（一）"),
            NavItem(
                "filings", "备案管理", "registry:filing_list", basis="通知第二部分（一）及附件"
            ),
            NavItem(
                "statistics",
                "统计分析",
                "registry:stats",
                "registry.view",
                basis="通知第二部分（一）",
            ),
            NavItem(
                "compliance",
                "合规检查",
                "compliance:overview",
                "registry.view",
                basis="通知第二部分（一）",
            ),
            NavItem("calendar", "工作日历", "workdays:year"),
        ),
    ),
    (
        "内容管理",
        (
            NavItem("publishing", "稿件审核", "publishing:articles", basis="通知第四部分（二）"),
            NavItem(
                "unapproved",
                "未经审核发布",
                "publishing:unapproved",
                "publishing.view",
                basis="通知第四部分（二）",
            ),
            NavItem(
                "screening",
                "内容审查",
                "screening:check",
                "screening.check",
                basis="通知第四部分（一）",
            ),
            NavItem(
                "reposts",
                "协同转载",
                "coordination:campaigns",
                "coordination.view",
                basis="通知第二部分（三）",
            ),
        ),
    ),
    (
        "监测处置",
        (
            NavItem(
                "monitoring",
                "更新监测",
                "monitoring:dormant",
                "monitoring.view",
                basis="通知第二部分（二）",
            ),
            NavItem(
                "rectification",
                "内容整改",
                "monitoring:rectifications",
                "rectification.view",
                basis="通知第四部分（三）",
            ),
            NavItem(
                "counterfeit",
                "假冒账号",
                "counterfeit:list",
                "counterfeit.view",
                basis="通知第五部分（二）",
            ),
            NavItem(
                "interaction",
                "留言互动",
                "interaction:inbox",
                "interaction.view",
                basis="通知第三部分（二）",
            ),
            NavItem("qa", "咨询答问库", "qa:entries", "qa.view", basis="通知第三部分（二）"),
            NavItem(
                "servicelinks",
                "办事入口",
                "servicelinks:links",
                "servicelinks.view",
                basis="通知第三部分（三）",
            ),
            NavItem(
                "opinion", "舆情处置", "opinion:board", "opinion.view", basis="通知第四部分（三）"
            ),
        ),
    ),
    (
        "考核监督",
        (
            NavItem(
                "assessment",
                "检查考核",
                "assessment:checks",
                "assessment.view",
                basis="通知第五部分（三）",
            ),
        ),
    ),
    (
        "系统管理",
        (
            NavItem("users", "用户管理", "users:list", "users.view"),
            NavItem("audit", "审计日志", "audit:list", "audit.view"),
            NavItem(
                "credentials",
                "账号密码保护",
                "credentials:overview",
                "credentials.view",
                basis="通知第五部分（二）",
            ),
            NavItem("api", "接口文档", "api:openapi-view", "api.docs"),
        ),
    ),
)


def find(key: str) -> NavItem | None:
    for _, items in NAVIGATION:
        for item in items:
            if item.key == key:
                return item
    return None


# Counts of work waiting for the user, shown beside an item (审核待办 under 稿件审核). The app
# that owns the work registers its counter in ready(): core sits below the apps and cannot ask.
_COUNTERS: dict[str, Callable[[object], int]] = {}


def register_counter(key: str, counter: Callable[[object], int]) -> None:
    _COUNTERS[key] = counter


def count_for(key: str, user) -> int:
    counter = _COUNTERS.get(key)
    return counter(user) if counter else 0
