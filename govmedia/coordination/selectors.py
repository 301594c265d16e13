"""Reads of 协同转载: the preview of a target rule, the completion matrix, the per-unit
completion rates over a period (for the assessment), and the navigation's count."""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from govmedia.core.errors import ServiceError
from govmedia.core.scope import may, org_subtree_q, sees_whole_district
from govmedia.orgs.models import Organization, OrgStatus, OrgType
from govmedia.registry.models import AccountStatus, MediaAccount, Platform

from .filters import CAMPAIGN_FILTERS, REQUEST_FILTERS, TASK_FILTERS
from .models import OPEN_STATES, Outcome, PublishRequest, RepostCampaign, RepostTask

RULE_KEYS = ("platforms", "org_types", "org_ids", "account_ids")


# --- targets ---------------------------------------------------------------------------------


@dataclass
class Preview:
    """The accounts a rule chooses now, and those it leaves out with the reason."""

    included: list[MediaAccount] = field(default_factory=list)
    excluded: list[dict] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.included)


def clean_rule(rule: Mapping | None) -> dict:
    """The rule with its lists read as strings/ids; ServiceError naming the field otherwise."""
    rule = rule or {}
    unknown = set(rule) - set(RULE_KEYS)
    if unknown:
        raise ServiceError(f"目标规则中有不认识的条件：{'、'.join(sorted(unknown))}", field="rule")
    cleaned: dict[str, list] = {}
    for key in RULE_KEYS:
        values = rule.get(key) or []
        if isinstance(values, str | int):
            values = [values]
        if key.endswith("_ids"):
            try:
                cleaned[key] = sorted({int(v) for v in values})
            except (TypeError, ValueError):
                raise ServiceError("单位、账号应为编号", field=key) from None
        else:
            cleaned[key] = sorted({str(v).strip() for v in values if str(v).strip()})
    if cleaned["org_types"] and set(cleaned["org_types"]) - set(OrgType.values):
        raise ServiceError("单位类型不正确", field="org_types")
    if cleaned["platforms"]:
        known = set(Platform.objects.values_list("code", flat=True))
        if set(cleaned["platforms"]) - known:
            raise ServiceError("运行平台不正确", field="platforms")
    if not any(cleaned.values()):
        raise ServiceError(
            "请至少选择一项目标条件：运行平台、单位类型、指定单位或指定账号", field="rule"
        )
    return cleaned


def _exclusion(account: MediaAccount, source_account_id: int | None) -> str:
    org = account.host_org
    if account.pk == source_account_id:
        return "来源账号本身"
    if org.status == OrgStatus.ABOLISHED:
        when = f"（{org.status_changed_on:%Y-%m-%d}）" if org.status_changed_on else ""
        return f"主办单位“{org.name}”已撤销{when}"
    if org.status == OrgStatus.MERGED:
        return f"主办单位“{org.name}”已整合"
    if account.status == AccountStatus.CANCELLED:
        return "账号已注销"
    if account.status == AccountStatus.SUSPENDED:
        return "账号已关停"
    return ""


def preview_targets(actor, rule: Mapping, *, source_account_id: int | None = None) -> Preview:
    """The accounts the rule chooses among those the actor may issue to (its scope): those
    matching every condition given of platform, org type and named units (with their
    subtrees), plus the named accounts; cancelled or suspended accounts, accounts of abolished
    or merged units and the source account itself are left out, each with its reason."""
    rule = clean_rule(rule)
    accounts = MediaAccount.objects.restrict(actor, "view")
    chosen = Q()
    if rule["platforms"]:
        chosen &= Q(platform__code__in=rule["platforms"])
    if rule["org_types"]:
        chosen &= Q(host_org__org_type__in=rule["org_types"])
    if rule["org_ids"]:
        paths = Organization.objects.restrict(actor, "view").filter(pk__in=rule["org_ids"])
        paths = list(paths.values_list("path", flat=True))
        if len(paths) != len(rule["org_ids"]):
            raise ServiceError("指定单位不存在或不在您的管理范围内", field="org_ids")
        in_units = Q(pk__in=[])
        for path in paths:
            in_units |= Q(host_org__path__startswith=path)
        chosen &= in_units
    by_rule = chosen if (rule["platforms"] or rule["org_types"] or rule["org_ids"]) else None
    named = Q(pk__in=rule["account_ids"]) if rule["account_ids"] else None
    if rule["account_ids"]:
        found = accounts.filter(pk__in=rule["account_ids"]).count()
        if found != len(rule["account_ids"]):
            raise ServiceError("指定账号不存在或不在您的管理范围内", field="account_ids")
    where = by_rule if named is None else (named if by_rule is None else by_rule | named)
    preview = Preview()
    rows = accounts.filter(where).select_related("host_org", "platform")
    for account in rows.order_by("host_org__path", "platform__sort_order", "name", "pk"):
        reason = _exclusion(account, source_account_id)
        if reason:
            preview.excluded.append(
                {
                    "account_id": account.pk,
                    "name": account.name,
                    "platform": account.platform.name,
                    "org": account.host_org.name,
                    "reason": reason,
                }
            )
        else:
            preview.included.append(account)
    return preview


# --- lists and the matrix --------------------------------------------------------------------


def campaigns(user, params: Mapping | None = None):
    rows = RepostCampaign.objects.restrict(user, "view").select_related("org", "issued_by")
    return CAMPAIGN_FILTERS.apply(rows, params or {}).order_by("-issued_at", "-pk")


def campaign_counts(campaign_ids, *, user=None, now: datetime | None = None) -> dict[int, dict]:
    """Per campaign, how many of its tasks (those the user sees) stand at each outcome. One
    query."""
    tasks = RepostTask.objects.all() if user is None else RepostTask.objects.restrict(user)
    rows = (
        tasks.with_outcome(now)
        .filter(campaign_id__in=list(campaign_ids))
        .values("campaign_id", "standing")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[int, dict] = defaultdict(lambda: dict.fromkeys(Outcome.values, 0))
    for row in rows:
        counts[row["campaign_id"]][row["standing"]] += row["n"]
    for value in counts.values():
        value["total"] = sum(value[o] for o in Outcome.values)
    return counts


def _selected(user, params: Mapping | None, now: datetime | None):
    """The tasks the user sees and the filters (TASK_FILTERS) select, with their standing."""
    rows = RepostTask.objects.restrict(user, "view").with_outcome(now)
    return TASK_FILTERS.apply(rows, params or {})


def tasks(user, params: Mapping | None = None, *, now: datetime | None = None):
    """The tasks the user sees, filtered (TASK_FILTERS), with what a row of the export or
    the API shows."""
    return (
        _selected(user, params, now)
        .select_related(
            "campaign__org",
            "account__platform",
            "account__host_org",
            "org",
            "post",
            "reported_by",
            "exempted_by",
        )
        .order_by("-campaign__issued_at", "campaign_id", "org__path", "account__name", "pk")
    )


class TaskPages:
    """The tasks of `tasks()` as an API list pages them (a slice and a count): a slice takes
    the page's ids, in the list's order, from the tasks and the joins the order needs alone —
    the campaigns walked newest first by their (issued_at, id) index and each one's tasks by
    campaign, so the database stops after the page's campaigns — then reads those rows with
    their joins. Sorted through every join instead, the first 50 of 200,000 tasks took 1.4 s
    on PostgreSQL."""

    def __init__(self, rows):
        self.rows = rows

    def all(self):  # (ninja's paginator counts `queryset.all()`)
        return self

    def count(self) -> int:
        return self.rows.count()

    def __getitem__(self, page: slice) -> list[RepostTask]:
        ids = list(self.rows.values_list("pk", flat=True)[page])
        found = self.rows.order_by().in_bulk(ids)
        return [found[pk] for pk in ids]


def task_pages(user, params: Mapping | None = None, *, now: datetime | None = None) -> TaskPages:
    """tasks(), paged by id first (TaskPages); one `now` for the page's ids and rows."""
    return TaskPages(tasks(user, params, now=now or timezone.now()))


# What a cell of the matrix shows (matrix.html, views.matrix.took_text) and its standing.
CELL_FIELDS = (
    "campaign_id",
    "account_id",
    "state",
    "late",
    "due_at",
    "completed_at",
    "score",
    "exempt_reason",
)


# A column heads with its title and deadline (a cell's time taken reads its issued_at); the
# source's text stays in the table.
COLUMN_FIELDS = ("title", "due_at", "issued_at")


@dataclass
class Matrix:
    columns: list[RepostCampaign]
    rows: list[tuple[MediaAccount, list[RepostTask | None]]]


def matrix(user, params: Mapping, *, account_page, columns, now: datetime | None = None) -> Matrix:
    """Tasks × accounts for a page of accounts and a page of campaigns: one query for the
    cells whatever the page's size. A cell reads only its task's own columns (CELL_FIELDS),
    its campaign being the column's: joined to its campaign, units, post and people as the
    export's rows are, the 200 cells cost more to plan, read and build than the rest of the
    page."""
    by_id = {c.pk: c for c in columns}
    cells = (
        _selected(user, params, now)
        .filter(campaign_id__in=list(by_id), account_id__in=[a.pk for a in account_page])
        .only(*CELL_FIELDS)
        .order_by()
    )
    by_cell = {}
    for task in cells:
        task.campaign = by_id[task.campaign_id]  # (task.took reads its issued_at)
        by_cell[task.account_id, task.campaign_id] = task
    column_ids = list(by_id)
    rows = [
        (account, [by_cell.get((account.pk, cid)) for cid in column_ids])
        for account in account_page
    ]
    return Matrix(list(columns), rows)


def _any_task(user, params: Mapping, now, **outer) -> Exists:
    """EXISTS a task the user sees and the filters select, of the outer row: a probe by index
    per account or campaign, which PostgreSQL plans far better than IN over 200,000 tasks."""
    selected = _selected(user, params, now).filter(**outer)
    return Exists(selected.order_by().values("pk"))


def _row_accounts(user, params: Mapping):
    """The accounts the matrix's rows are drawn from: the user's subtree's (a unit's tasks are
    of its subtree's accounts, targets being chosen within the issuer's scope), of the
    filtered platform. Written as host_org IN (the subtree's units), a condition on the
    account row itself: joined to the units instead, SQLite ran the task probe for every
    account of the district before reading its unit's path (6 s for a township admin at
    200,000 tasks)."""
    accounts = MediaAccount.objects.all()
    if subtree := org_subtree_q(user, ""):
        accounts = accounts.filter(host_org__in=Organization.objects.filter(subtree).values("pk"))
    if platform := TASK_FILTERS.values(params).get("platform"):
        accounts = accounts.filter(platform__code=platform)  # the account's own: a narrower probe
    return accounts


def matrix_accounts(user, params: Mapping, *, now: datetime | None = None):
    """The accounts having at least one task the filters select (the matrix's rows)."""
    now = now or timezone.now()
    return (
        _row_accounts(user, params)
        .filter(_any_task(user, params, now, account_id=OuterRef("pk")))
        .select_related("platform", "host_org")
        .order_by("host_org__path", "platform__sort_order", "name", "pk")
    )


def matrix_columns(user, params: Mapping, *, now: datetime | None = None):
    """The campaigns having at least one task the filters select of the rows' accounts (the
    matrix's columns). For the whole district, a probe by index per campaign; for a unit, the
    campaigns of its own accounts' tasks (a few thousand rows by index): probed campaign by
    campaign, each probe walked the campaign's 400 tasks through the OR of the unit's scope
    (180 ms at 200,000 tasks, filtered by platform)."""
    now = now or timezone.now()
    campaigns = RepostCampaign.objects.all()
    if sees_whole_district(user):
        campaigns = campaigns.filter(_any_task(user, params, now, campaign_id=OuterRef("pk")))
    else:
        # The platform is the row accounts' already: filtered again through the tasks' own
        # account join, PostgreSQL drove the read from every account of the platform.
        others = {key: params[key] for key in params if key != "platform"}
        rows = _selected(user, others, now).filter(
            campaign_id=OuterRef("pk"), account__in=_row_accounts(user, params)
        )
        campaigns = campaigns.filter(Exists(rows.order_by().values("pk")))
    return campaigns.only(*COLUMN_FIELDS).order_by("-issued_at", "-pk")


def campaigns_in_order(campaign_ids) -> list[RepostCampaign]:
    """The campaigns of a page of matrix_columns' ids, in that order, as a column shows them."""
    found = RepostCampaign.objects.only(*COLUMN_FIELDS).in_bulk(list(campaign_ids))
    return [found[pk] for pk in campaign_ids if pk in found]


# --- completion rates --------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitRate:
    org_id: int
    org_name: str
    total: int
    on_time: int
    late: int
    missing: int
    pending: int
    exempted: int

    @property
    def due(self) -> int:
        """The tasks that count: not exempted."""
        return self.total - self.exempted

    @property
    def completed(self) -> int:
        return self.on_time + self.late

    @property
    def rate(self) -> float | None:
        """Completed (on time or late) of the tasks that count, 0–1; None when none count."""
        return self.completed / self.due if self.due else None

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.due if self.due else None


def completion_rates(
    user, *, start: date, end: date, org_id: int | None = None, now: datetime | None = None
) -> list[UnitRate]:
    """Per target unit, its tasks whose deadline fell within [start, end] (local days) and
    where they stand: the repost completion figure the assessment (考核) uses. One query."""
    if end < start:
        raise ServiceError("结束日期不能早于开始日期", field="end")
    begin = timezone.make_aware(datetime.combine(start, time.min))
    finish = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))
    rows = RepostTask.objects.restrict(user, "view").filter(due_at__gte=begin, due_at__lt=finish)
    if org_id:
        rows = TASK_FILTERS.apply(rows, {"org_id": org_id})
    counted = (
        rows.with_outcome(now)
        .values("org_id", "org__name", "org__path", "standing")
        .annotate(n=Count("pk"))
        .order_by("org__path")
    )
    per_org: dict[int, dict] = {}
    for row in counted:
        entry = per_org.setdefault(
            row["org_id"], {"name": row["org__name"], **dict.fromkeys(Outcome.values, 0)}
        )
        entry[row["standing"]] += row["n"]
    return [
        UnitRate(
            org_id=pk,
            org_name=entry["name"],
            total=sum(entry[o] for o in Outcome.values),
            on_time=entry[Outcome.ON_TIME],
            late=entry[Outcome.LATE],
            missing=entry[Outcome.MISSING],
            pending=entry[Outcome.PENDING],
            exempted=entry[Outcome.EXEMPTED],
        )
        for pk, entry in per_org.items()
    ]


# --- navigation ------------------------------------------------------------------------------


def open_count(user) -> int:
    """Open tasks of the user's own unit (and those under it) that they may report."""
    if not may(user, "coordination.complete") or user.org_id is None:
        return 0
    rows = RepostTask.objects.filter(state__in=OPEN_STATES)
    if sees_whole_district(user):
        rows = rows.filter(org_id=user.org_id)
    else:
        rows = rows.filter(org__path__startswith=user.org.path)
    return rows.count()


def publish_requests(user, params: Mapping | None = None):
    """发布申请 in the user's scope (the requesting unit's subtree; the district office all),
    filtered as the list page and the API filter them, newest first."""
    rows = REQUEST_FILTERS.apply(PublishRequest.objects.restrict(user), params or {})
    return rows.select_related("org", "requested_by").order_by("-requested_at", "-pk")


def request_review_steps(request: PublishRequest) -> list:
    """The steps of the district's review of the request (its district article's latest run):
    what the requesting unit is told of the review, without seeing the district article."""
    if request.district_article_id is None:
        return []
    from govmedia.publishing.models import ReviewRun

    run = (
        ReviewRun.objects.filter(article_id=request.district_article_id)
        .order_by("-started_at", "-pk")
        .first()
    )
    if run is None:
        return []
    return list(run.steps.order_by("position"))
