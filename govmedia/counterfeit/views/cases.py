"""假冒账号 pages for staff: the list, a case with its transitions and letter, the report form,
the Excel import and the discovery button. Thin: the services decide."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from govmedia.core import progress
from govmedia.core.errors import Conflict, ServiceError
from govmedia.core.forms import add_service_error
from govmedia.core.pagination import paginate
from govmedia.core.scope import get_scoped, may
from govmedia.core.spreadsheets import ImportRejected, xlsx_download
from govmedia.registry.models import MediaAccount, Platform

from .. import display, importing, selectors, services
from ..forms import (
    CacForm,
    ImportForm,
    ReasonForm,
    ReportForm,
    VerifyForm,
    VersionForm,
    parse_verified,
)
from ..lifecycle import TRANSITIONS
from ..models import OPEN_STATES, DiscoveryRun, SuspectAccount, SuspectSource, SuspectState

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BASIS = "依据：通知第五部分（二）“对发现的假冒政务新媒体，要及时要求第三方运营平台立即关停并通报有关部门依法依规处置”"
ERRORS_SHOWN = 200


def _crumbs(*extra):
    return [("假冒账号", reverse("counterfeit:list")), *extra]


def _may_manage(user) -> bool:
    return may(user, "counterfeit.change")


def _suspect_or_404(user, suspect_id) -> SuspectAccount:
    return get_scoped(
        SuspectAccount.objects.select_related(
            "platform", "matched_account__host_org", "matched_account__platform"
        ),
        user,
        suspect_id,
    )


@login_required
@require_GET
def suspect_list(request):
    if not may(request.user, "counterfeit.view"):
        raise Http404
    scoped = SuspectAccount.objects.restrict(request.user)
    suspects, filters = selectors.filter_suspects(scoped, request.GET)
    counts = dict(scoped.values_list("state").annotate(n=Count("pk")).order_by())
    page = paginate(
        request,
        suspects.select_related("platform", "matched_account__host_org").order_by("-score", "-pk"),
    )
    manage = _may_manage(request.user)
    return render(
        request,
        "counterfeit/list.html",
        {
            "page": page,
            "filters": filters,
            "filtered": any(filters.values()),
            "total": sum(counts.values()),
            "counts": [
                (value, label, counts.get(value, 0)) for value, label in SuspectState.choices
            ],
            "open_count": sum(counts.get(state, 0) for state in OPEN_STATES),
            "states": SuspectState.choices,
            "sources": SuspectSource.choices,
            "platforms": Platform.objects.filter(is_active=True),
            "can_manage": manage,
            "last_run": DiscoveryRun.objects.first() if manage else None,
            **(_scan_progress(request) if manage else {}),
            "basis": BASIS,
            "breadcrumbs": _crumbs(),
        },
    )


def _detail_context(request, suspect, **forms) -> dict:
    user = request.user
    actions = TRANSITIONS.offered(suspect, user)
    version = {"version": suspect.version}
    reports = [
        {
            "at": report.created_at,
            "source": report.get_source_display(),
            "by": report.reported_by.name
            if report.reported_by and display.sees_reporters(user)
            else "",
            "contact": display.shown_contact(user, report.reporter_contact),
            "note": report.note,
        }
        for report in suspect.reports.select_related("reported_by")
    ]
    return {
        "suspect": suspect,
        "genuine": suspect.matched_account,
        "genuine_visible": suspect.matched_account_id is not None
        and MediaAccount.objects.restrict(user).filter(pk=suspect.matched_account_id).exists(),
        "reports": reports,
        "history": display.history(suspect),
        "actions": actions,
        "verify_form": forms.get("verify_form")
        or VerifyForm(initial=version | {"handle": suspect.handle}),
        "cac_form": forms.get("cac_form") or CacForm(initial=version),
        "exclude_form": forms.get("exclude_form") or ReasonForm(initial=version, prefix="exclude"),
        "reopen_form": forms.get("reopen_form") or ReasonForm(initial=version, prefix="reopen"),
        "action_error": forms.get("action_error"),
        "sees_reporters": display.sees_reporters(user),
        "basis": BASIS,
        "breadcrumbs": _crumbs((f"线索 {suspect.pk}：{suspect.display_name}", None)),
    }


@login_required
@require_GET
def suspect_detail(request, suspect_id: int):
    suspect = _suspect_or_404(request.user, suspect_id)
    return render(request, "counterfeit/detail.html", _detail_context(request, suspect))


# Each transition: the name of its form on the page (None: a bare button), the form bound to the
# POST, and the service call made with the form's cleaned data.
def _act_verify(request, suspect):
    def call(data):
        services.suspect_verify(
            actor=request.user,
            suspect_id=suspect.pk,
            version=data["version"],
            note=data["note"],
            handle=data["handle"],
            matched_account_id=data["matched_account"].pk if data["matched_account"] else None,
        )

    return "verify_form", VerifyForm(request.POST), call


def _act_takedown(request, suspect):
    def call(data):
        services.suspect_request_takedown(
            actor=request.user, suspect_id=suspect.pk, version=data["version"]
        )

    return None, VersionForm(request.POST), call


def _act_cac(request, suspect):
    def call(data):
        services.suspect_report_to_cac(
            actor=request.user,
            suspect_id=suspect.pk,
            version=data["version"],
            reported_on=data["reported_on"],
            recipient=data["recipient"],
            note=data["note"],
        )

    return "cac_form", CacForm(request.POST), call


def _act_confirm(request, suspect):
    def call(data):
        services.suspect_confirm_closed(
            actor=request.user, suspect_id=suspect.pk, version=data["version"]
        )

    return None, VersionForm(request.POST), call


def _act_reason(name, service):
    def act(request, suspect):
        def call(data):
            service(
                actor=request.user,
                suspect_id=suspect.pk,
                version=data["version"],
                reason=data["reason"],
            )

        return f"{name}_form", ReasonForm(request.POST, prefix=name), call

    return act


ACTS = {
    "verify": _act_verify,
    "request_takedown": _act_takedown,
    "report_to_cac": _act_cac,
    "confirm_closed": _act_confirm,
    "exclude": _act_reason("exclude", services.suspect_exclude),
    "reopen": _act_reason("reopen", services.suspect_reopen),
}
DONE_MESSAGES = {
    "verify": "已核实。下一步：要求平台关停（生成关停函）",
    "request_takedown": "已生成关停函，请下载、盖章后发送平台；随后通报网信",
    "report_to_cac": "已记录通报网信。平台关停后请点击“确认已关停”，平台将自动核查",
    "confirm_closed": "平台已查不到该账号，线索已办结（已关停）",
    "exclude": "已排除该线索",
    "reopen": "已重新打开该线索",
}


@login_required
@require_POST
def suspect_act(request, suspect_id: int):
    suspect = _suspect_or_404(request.user, suspect_id)
    action = request.POST.get("action", "")
    if action not in ACTS or not _may_manage(request.user):
        raise Http404
    name, form, call = ACTS[action](request, suspect)
    error, status = None, 400
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ServiceError as exc:
            status = exc.status
            # A conflict means the case moved on: its form may be gone from the page.
            if name is None or isinstance(exc, Conflict):
                error = exc.message
            else:
                add_service_error(form, exc)
        else:
            messages.success(request, DONE_MESSAGES[action])
            return redirect("counterfeit:detail", suspect_id=suspect.pk)
    elif name is None:
        error = "页面已过时，请刷新后再操作"
    suspect = _suspect_or_404(request.user, suspect_id)  # as it is now, after a refused act
    forms = {name: form} if name else {}
    context = _detail_context(request, suspect, action_error=error, **forms)
    return render(request, "counterfeit/detail.html", context, status=status)


@login_required
@require_GET
def letter_download(request, suspect_id: int):
    suspect = _suspect_or_404(request.user, suspect_id)
    if not suspect.letter:
        raise Http404("尚未生成关停函")
    try:
        handle = suspect.letter.open("rb")
    except FileNotFoundError:
        raise Http404("关停函文件缺失") from None
    return FileResponse(
        handle,
        as_attachment=True,
        content_type=DOCX_TYPE,
        filename=f"关停假冒账号函-{suspect.pk}-{suspect.display_name}.docx",
    )


@login_required
@require_http_methods(["GET", "POST"])
def report(request):
    if not may(request.user, "counterfeit.report"):
        raise Http404
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.suspect_create(
                actor=request.user,
                platform=data["platform"],
                display_name=data["display_name"],
                handle=data["handle"],
                verified=parse_verified(data["verified"]),
                verified_reason=data["verified_reason"],
                description=data["description"],
                source=SuspectSource.REPORT,
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            suspect = result.suspect
            messages.success(
                request,
                "已报告，区政府办公室将核实处置"
                if result.created
                else f"该账号已有线索（编号 {suspect.pk}），您的报告已并入",
            )
            visible = SuspectAccount.objects.restrict(request.user).filter(pk=suspect.pk).exists()
            if visible:
                return redirect("counterfeit:detail", suspect_id=suspect.pk)
            return redirect("counterfeit:list")
    return render(
        request,
        "counterfeit/report.html",
        {
            "form": form,
            "basis": BASIS,
            "breadcrumbs": _crumbs(("报告假冒账号", None)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request):
    if not _may_manage(request.user):
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    rejected = None
    if request.method == "POST" and form.is_valid():
        try:
            result = importing.suspects_import(actor=request.user, upload=form.cleaned_data["file"])
        except ImportRejected as exc:
            rejected = exc
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request, f"已导入：新建线索 {result.created} 条，并入已有线索 {result.merged} 条"
            )
            return redirect("counterfeit:list")
    return render(
        request,
        "counterfeit/import.html",
        {
            "form": form,
            "basis": BASIS,
            "rejected": rejected,
            "errors_shown": rejected.errors[:ERRORS_SHOWN] if rejected else [],
            "errors_hidden": max(0, len(rejected.errors) - ERRORS_SHOWN) if rejected else 0,
            "breadcrumbs": _crumbs(("导入线索", None)),
        },
    )


@login_required
@require_GET
def import_template(request):
    if not _may_manage(request.user):
        raise Http404
    return xlsx_download(importing.build_template(), "假冒账号线索导入模板.xlsx")


@login_required
@require_POST
def discover(request):
    """Queue a search of every platform now (it also runs every night)."""
    if not _may_manage(request.user):
        raise Http404
    from ..tasks import queue_discovery

    click = progress.click(DiscoveryRun.objects.aggregate(m=Max("id"))["m"])
    queue_discovery(started_by=request.user)
    # The page follows the scan.
    return redirect(f"{reverse('counterfeit:list')}?{click.query()}")


def _finished_scan(click: progress.Click) -> DiscoveryRun | None:
    return (
        DiscoveryRun.objects.filter(pk__gt=click.after, finished_at__isnull=False)
        .order_by("id")
        .first()
    )


def _scan_waiting(click: progress.Click) -> dict:
    stopped = click.gave_up()
    return {
        "poll_url": f"{reverse('counterfeit:discover_status')}?{click.query()}",
        "reload_url": f"{reverse('counterfeit:list')}?{click.query()}",
        "text": "扫描未在预期时间内完成，请稍后刷新查看。"
        if stopped
        else "正在各平台搜索已登记政务新媒体的名称和本区地名，完成后本页自动刷新并显示新发现的条数。",
        "waited": click.waited(),
        "stopped": stopped,
    }


def _scan_progress(request) -> dict:
    """The list's context after 立即扫描各平台: a progress line until a scan asked for by the
    click has finished, then that scan's counts."""
    if (click := progress.clicked(request)) is None:
        return {}
    if run := _finished_scan(click):
        return {"scanned": run}
    return {"progress": _scan_waiting(click)}


@login_required
@require_GET
def discover_status(request):
    """The progress line of a requested scan, or the instruction to reload the list when the
    scan has finished."""
    if not _may_manage(request.user):
        raise Http404
    if (click := progress.clicked(request)) is None:
        raise Http404
    if _finished_scan(click):
        return progress.finished(f"{reverse('counterfeit:list')}?{click.query()}")
    return render(request, "includes/progress.html", _scan_waiting(click))
