"""舆情处置 pages: the case board (by stage, level, time left; Excel export), a case with its
timeline and the acts the lifecycle offers, 监测方案 with the 7-day test box, the manual report
form, the vendor import and the 舆情简报 (kept, downloadable, made on demand). Thin: the services decide; a refused act is shown with its reason."""

from datetime import date
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from govmedia.core.errors import ServiceError
from govmedia.core.idempotency import FORM_FIELD, create_once, new_form_key
from govmedia.core.pagination import paginate
from govmedia.core.scope import get_scoped, may, sees_whole_district
from govmedia.core.spreadsheets import ImportRejected, xlsx_response
from govmedia.orgs.models import Organization
from govmedia.publishing.models import Article

from . import selectors
from .expressions import Expression, ExpressionError
from .filters import CASE_FILTERS, TIME_LEFT
from .lifecycle import PRE_RESPONSE
from .models import (
    Attachment,
    BriefKind,
    CaseState,
    Level,
    OpinionBrief,
    OpinionCase,
    OpinionItem,
    Subscription,
)
from .services import briefs as brief_services
from .services import cases as svc
from .services import subscriptions as subscription_services
from .services.cases import RESPONSE_READY
from .services.vendors import vendor_import

BASIS = (
    "依据：通知第四部分（三）“做到及时预警、科学研判、妥善处置、有效回应”；"
    "时限依据国办发〔2016〕61号（重大突发事件最迟 5 小时内发布权威信息、24 小时内举行新闻发布会）"
)
ERRORS_SHOWN = 200


def _crumbs(*extra):
    return [("舆情处置", reverse("opinion:board")), *extra]


def _orgs(user):
    return Organization.objects.restrict(user).filter(status="active").order_by("path")


# ---------------------------------------------------------------- the board


@login_required
@require_GET
def board(request):
    if not may(request.user, "opinion.view"):
        raise Http404
    now = timezone.now()
    selected = CASE_FILTERS.q(request.GET, now=now)
    rows = selectors.board_rows(request.user, selected, one_state=selectors.one_state(request.GET))
    if request.GET.get("format") == "xlsx":
        return _export(rows, now)
    counts = selectors.board_counts(request.user, selected, now=now)
    page = paginate(request, rows, count=counts.selected)
    for case in page.object_list:
        case.hours_left = (
            (case.due_at - now).total_seconds() / 3600 if case.state in PRE_RESPONSE else None
        )
    filters = CASE_FILTERS.echo(request.GET)
    return render(
        request,
        "opinion/board.html",
        {
            "page": page,
            "filters": filters,
            "filtered": any(filters.values()),
            "counts": [(v, label, counts.by_state.get(v, 0)) for v, label in CaseState.choices],
            "overdue": counts.overdue,
            "states": CaseState.choices,
            "levels": Level.choices,
            "time_left": TIME_LEFT.items(),
            "orgs": _orgs(request.user),
            "may_report": may(request.user, "opinion.report"),
            "may_subscribe": may(request.user, "opinion.subscribe"),
            "may_import": may(request.user, "opinion.import"),
            "may_brief": _may_brief(request.user),
            "basis": BASIS,
            "breadcrumbs": _crumbs(),
        },
    )


def _export(rows, now):
    headers = [
        "编号",
        "事件名称",
        "责任单位",
        "阶段",
        "等级",
        "发现时间",
        "回应时限",
        "剩余小时",
        "信息条数",
        "负面条数",
        "回应时间",
        "办结时间",
    ]

    def lines():
        for c in rows.iterator(chunk_size=1000):
            left = (
                round((c.due_at - now).total_seconds() / 3600, 1) if c.state in PRE_RESPONSE else ""
            )
            yield [
                c.pk,
                c.title,
                c.org.name,
                c.get_state_display(),
                c.get_level_display(),
                timezone.localtime(c.opened_at).strftime("%Y-%m-%d %H:%M"),
                timezone.localtime(c.due_at).strftime("%Y-%m-%d %H:%M"),
                left,
                c.signal_count,
                c.negative_count,
                timezone.localtime(c.responded_at).strftime("%Y-%m-%d %H:%M")
                if c.responded_at
                else "",
                timezone.localtime(c.closed_at).strftime("%Y-%m-%d %H:%M") if c.closed_at else "",
            ]

    return xlsx_response("舆情事件", "舆情事件", headers, lines())


# ---------------------------------------------------------------- a case


def _case_or_404(user, case_id) -> OpinionCase:
    return get_scoped(
        OpinionCase.objects.select_related("org", "response_article", "merged_into"), user, case_id
    )


def _case_context(request, case, *, error=None, posted=None) -> dict:
    user = request.user
    now = timezone.now()
    actions = selectors.offered(case, user)
    articles = []
    if "respond" in actions:
        articles = list(
            Article.objects.restrict(user)
            .filter(state__in=RESPONSE_READY, deleted_at__isnull=True)
            .order_by("-updated_at")[:50]
        )
    return {
        "case": case,
        "hours_left": (case.due_at - now).total_seconds() / 3600
        if case.state in PRE_RESPONSE
        else None,
        "timeline": selectors.timeline(case),
        "assignments": case.assignments.select_related("org", "assigned_by"),
        "actions": actions,
        "may_comment": may(user, "opinion.comment"),
        "levels": Level.choices,
        "higher_levels": [
            (v, label)
            for v, label in Level.choices
            if Level.values.index(v) > Level.values.index(case.level)
        ],
        "orgs": Organization.objects.filter(status="active").order_by("path")
        if "assign" in actions
        else [],
        "articles": articles,
        "error": error,
        "posted": posted or {},
        "basis": BASIS,
        "breadcrumbs": _crumbs((f"事件 {case.pk}：{case.title}", None)),
    }


@login_required
@require_GET
def case_detail(request, case_id: int):
    case = _case_or_404(request.user, case_id)
    return render(request, "opinion/case.html", _case_context(request, case))


def _call(request, case, action):
    post, user, version = request.POST, request.user, request.POST.get("version")
    common = {"actor": user, "case_id": case.pk}
    if action == "comment":
        return svc.case_comment(**common, text=post.get("text", ""))
    common["version"] = version
    match action:
        case "assess":
            return svc.case_assess(**common, level=post.get("level"), reason=post.get("reason", ""))
        case "raise":
            return svc.case_raise(**common, level=post.get("level"), reason=post.get("reason", ""))
        case "assign":
            return svc.case_assign(
                **common, org_ids=post.getlist("org_ids"), note=post.get("note", "")
            )
        case "act":
            return svc.case_act(
                **common, note=post.get("note", ""), files=request.FILES.getlist("files")
            )
        case "respond":
            return svc.case_respond(
                **common,
                article_id=post.get("article_id") or None,
                url=post.get("url", ""),
                note=post.get("note", ""),
            )
        case "close":
            return svc.case_close(**common, report=post.get("report", ""))
        case "reopen":
            return svc.case_reopen(**common, reason=post.get("reason", ""))
    raise Http404


DONE = {
    "assess": "已研判定级，回应时限已按等级更新",
    "raise": "已提升等级，回应时限已按规则缩短",
    "assign": "已转办，承办单位已收到通知",
    "act": "已记录处置措施",
    "respond": "已登记回应",
    "close": "已办结",
    "reopen": "已重新打开",
    "comment": "已发表意见",
}


@login_required
@require_POST
def case_act(request, case_id: int):
    case = _case_or_404(request.user, case_id)
    action = request.POST.get("action", "")
    if action not in DONE:
        raise Http404
    try:
        _call(request, case, action)
    except ServiceError as exc:
        case = _case_or_404(request.user, case_id)
        context = _case_context(request, case, error=exc.message, posted=request.POST)
        return render(request, "opinion/case.html", context, status=exc.status)
    messages.success(request, DONE[action])
    return redirect("opinion:case", case_id=case.pk)


@login_required
@require_GET
def attachment_download(request, evidence_id: int):
    attachment = Attachment.objects.filter(pk=evidence_id).select_related("item", "event").first()
    if attachment is None:
        raise Http404
    case_id = attachment.event.case_id if attachment.event_id else attachment.item.case_id
    if (
        attachment.item_id
        and not OpinionItem.objects.restrict(request.user).filter(pk=attachment.item_id).exists()
    ):
        raise Http404
    if attachment.event_id:
        get_scoped(OpinionCase.objects.all(), request.user, case_id)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("附件文件缺失") from None
    return FileResponse(handle, as_attachment=True, filename=attachment.name)


# ---------------------------------------------------------------- reports and imports


@login_required
@require_http_methods(["GET", "POST"])
def report(request):
    if not may(request.user, "opinion.report"):
        raise Http404
    error, posted = None, {}
    if request.method == "POST":
        posted = request.POST
        try:
            pk, _ = create_once(
                actor=request.user,
                scope="opinion.report.form",
                key=request.POST.get(FORM_FIELD),
                create=lambda: svc.report_create(
                    actor=request.user,
                    org_id=request.POST.get("org_id"),
                    title=request.POST.get("title", ""),
                    text=request.POST.get("text", ""),
                    url=request.POST.get("url", ""),
                    reporter=request.POST.get("reporter", ""),
                    files=request.FILES.getlist("files"),
                ),
            )
        except ServiceError as exc:
            error = exc.message
        else:
            item = OpinionItem.objects.get(pk=pk)
            messages.success(request, "已报送，信息已归入舆情事件")
            return redirect("opinion:case", case_id=item.case_id)
    return render(
        request,
        "opinion/report.html",
        {
            "orgs": _orgs(request.user),
            "error": error,
            "posted": posted,
            "once": new_form_key(),
            "basis": BASIS,
            "breadcrumbs": _crumbs(("人工报送", None)),
        },
        status=400 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request):
    if not may(request.user, "opinion.import"):
        raise Http404
    error, errors, result = None, [], None
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise ServiceError("请选择服务商导出的文件", field="file")
            result = vendor_import(
                actor=request.user,
                vendor=request.POST.get("vendor", ""),
                upload=upload,
                filename=upload.name,
            )
        except ImportRejected as exc:
            error, errors = exc.message, exc.errors[:ERRORS_SHOWN]
        except ServiceError as exc:
            error = exc.message
        else:
            messages.success(
                request,
                f"已导入 {len(result.created)} 条，{len(result.duplicates)} 条此前已导入（未重复导入）",
            )
            return redirect("opinion:board")
    return render(
        request,
        "opinion/import.html",
        {
            "error": error,
            "errors": errors,
            "basis": BASIS,
            "breadcrumbs": _crumbs(("服务商导入", None)),
        },
        status=400 if error else 200,
    )


# ---------------------------------------------------------------- subscriptions


@login_required
@require_GET
def subscriptions(request):
    if not may(request.user, "opinion.view"):
        raise Http404
    rows = (
        Subscription.objects.restrict(request.user)
        .select_related("org")
        .annotate(hits=Count("items"))
    )
    page = paginate(request, rows.order_by("org__path", "name", "pk"))
    source = request.GET.get("expr", "").strip()
    test = None
    if source:
        try:
            expression = Expression.parse(source)
        except ExpressionError as exc:
            test = {"error": f"监测表达式有误：{exc.message}"}
        else:
            hits, matched, read = selectors.preview(request.user, expression)
            test = {"hits": hits, "matched": matched, "read": read}
    return render(
        request,
        "opinion/subscriptions.html",
        {
            "page": page,
            "expr": source,
            "test": test,
            "days": selectors.PREVIEW_DAYS,
            "may_subscribe": may(request.user, "opinion.subscribe"),
            "basis": BASIS,
            "breadcrumbs": _crumbs(("监测方案", None)),
        },
    )


def _subscription_data(post) -> dict:
    return {
        "name": post.get("name", ""),
        "expression": post.get("expression", ""),
        "active": post.get("active") == "on",
        "on_posts": post.get("on_posts") == "on",
        "on_comments": post.get("on_comments") == "on",
        "on_messages": post.get("on_messages") == "on",
    }


@login_required
@require_http_methods(["GET", "POST"])
def subscription_new(request):
    if not may(request.user, "opinion.subscribe"):
        raise Http404
    error, field, posted = None, None, {}
    if request.method == "POST":
        posted = request.POST
        try:
            create_once(
                actor=request.user,
                scope="opinion.subscription.form",
                key=request.POST.get(FORM_FIELD),
                create=lambda: subscription_services.subscription_create(
                    actor=request.user,
                    org_id=request.POST.get("org_id"),
                    data=_subscription_data(request.POST),
                ),
            )
        except ServiceError as exc:
            error, field = exc.message, exc.field
        else:
            messages.success(request, "已保存监测方案，新采集的内容将按此匹配")
            return redirect("opinion:subscriptions")
    return _subscription_form(request, None, error=error, field=field, posted=posted)


def _subscription_form(request, subscription, *, error=None, field=None, posted=None):
    initial = posted or (
        {
            "name": subscription.name,
            "expression": subscription.expression,
            "org_id": str(subscription.org_id),
            "active": "on" if subscription.active else "",
            "on_posts": "on" if subscription.on_posts else "",
            "on_comments": "on" if subscription.on_comments else "",
            "on_messages": "on" if subscription.on_messages else "",
        }
        if subscription
        else {"active": "on", "on_posts": "on", "on_comments": "on", "on_messages": "on"}
    )
    return render(
        request,
        "opinion/subscription_form.html",
        {
            "subscription": subscription,
            "orgs": _orgs(request.user),
            "values": initial,
            "error": error,
            "field": field,
            "once": new_form_key(),
            "basis": BASIS,
            "breadcrumbs": _crumbs(
                ("监测方案", reverse("opinion:subscriptions")),
                (subscription.name if subscription else "新建", None),
            ),
        },
        status=400 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def subscription_edit(request, subscription_id: int):
    subscription = get_scoped(
        Subscription.objects.select_related("org"), request.user, subscription_id, "subscribe"
    )
    if request.method == "POST":
        try:
            if request.POST.get("delete"):
                subscription_services.subscription_delete(
                    actor=request.user,
                    subscription_id=subscription.pk,
                    version=request.POST.get("version"),
                )
                messages.success(request, "已删除监测方案")
            else:
                subscription_services.subscription_update(
                    actor=request.user,
                    subscription_id=subscription.pk,
                    version=request.POST.get("version"),
                    data=_subscription_data(request.POST),
                )
                messages.success(request, "已保存监测方案")
        except ServiceError as exc:
            return _subscription_form(
                request, subscription, error=exc.message, field=exc.field, posted=request.POST
            )
        return redirect("opinion:subscriptions")
    return _subscription_form(request, subscription)


# ---------------------------------------------------------------- 舆情简报


def _may_brief(user) -> bool:
    return may(user, "opinion.brief") and sees_whole_district(user)


@login_required
@require_http_methods(["GET", "POST"])
def briefs(request):
    """The kept briefs, newest first, and a form to make one now (district-wide roles)."""
    if not _may_brief(request.user):
        raise Http404
    error, posted = None, {}
    if request.method == "POST":
        posted = request.POST
        try:
            day = _posted_day(request.POST.get("day", ""))
            pk, _ = create_once(
                actor=request.user,
                scope="opinion.brief.form",
                key=request.POST.get(FORM_FIELD),
                create=lambda: brief_services.brief_generate(
                    actor=request.user, kind=request.POST.get("kind", ""), day=day
                ),
            )
        except ServiceError as exc:
            error = exc.message
        else:
            brief = OpinionBrief.objects.get(pk=pk)
            messages.success(request, f"已生成{brief.doc_no}：{brief.title}")
            return redirect("opinion:briefs")
    rows = OpinionBrief.objects.restrict(request.user).defer("docx", "pdf")
    return render(
        request,
        "opinion/briefs.html",
        {
            "page": paginate(request, rows),
            "kinds": BriefKind.choices,
            "today": timezone.localdate(),
            "error": error,
            "posted": posted,
            "once": new_form_key(),
            "basis": BASIS,
            "may_import": may(request.user, "opinion.import"),
            "may_brief": True,
            "breadcrumbs": _crumbs(("舆情简报", None)),
        },
        status=400 if error else 200,
    )


def _posted_day(value: str):
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ServiceError("请填写日期，如 2026-12-01", field="day") from None


@login_required
@require_GET
def brief_file(request, brief_id: int, fmt: str):
    brief = OpinionBrief.objects.restrict(request.user).filter(pk=brief_id).first()
    if brief is None or fmt not in ("docx", "pdf"):
        raise Http404
    brief_services.brief_downloaded(actor=request.user, brief=brief, fmt=fmt)
    content_type = (
        "application/pdf"
        if fmt == "pdf"
        else "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response = HttpResponse(bytes(getattr(brief, fmt)), content_type=content_type)
    name = f"{brief.title}.{fmt}"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
