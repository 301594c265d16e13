"""检查 pages: the list, a new check, the check's page (population → sample → assign → score →
confirm → bulletin, one step at a time), a score sheet, and the bulletin's files."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from govmedia.core.errors import ServiceError
from govmedia.core.forms import Form, add_service_error
from govmedia.core.idempotency import FORM_FIELD, add_form_key, create_once
from govmedia.core.pagination import paginate
from govmedia.core.scope import get_scoped, may
from govmedia.orgs.models import OrgType
from govmedia.registry.models import Platform
from govmedia.users.models import User

from .. import selectors
from ..models import (
    Bulletin,
    Check,
    CheckKind,
    CheckState,
    ItemResult,
    Outcome,
    Rubric,
    ScoreSheet,
    Screenshot,
)
from ..services import bulletins, checks, evaluation, screenshots
from ..services.checks import STRATA
from .shared import context, require, version_of


@login_required
@require_GET
def check_list(request):
    user = request.user
    require(user, "assessment.view")
    rows = selectors.checks(user)
    state = request.GET.get("state", "")
    if state in CheckState.values:
        rows = rows.filter(state=state)
    page = paginate(request, rows.order_by("-check_at", "-pk"))
    return render(
        request,
        "assessment/check_list.html",
        context(user, "checks", page=page, states=CheckState.choices, state=state),
    )


class CheckForm(Form):
    title = forms.CharField(label="检查名称", max_length=200)
    kind = forms.ChoiceField(label="检查类型", choices=CheckKind.choices)
    rubric = forms.ModelChoiceField(label="检查指标", queryset=Rubric.objects.none())
    check_at = forms.DateTimeField(
        label="监测时间点", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    period_start = forms.DateField(
        label="检查期间起", widget=forms.DateInput(attrs={"type": "date"})
    )
    platforms = forms.ModelMultipleChoiceField(
        label="运行平台", required=False, queryset=Platform.objects.filter(is_active=True)
    )
    org_types = forms.MultipleChoiceField(label="单位类型", required=False, choices=OrgType.choices)
    not_checked_months = forms.IntegerField(
        label="仅N个月内未被抽查的账号", required=False, min_value=1, max_value=60
    )
    strata_by = forms.ChoiceField(label="分层", choices=list(STRATA.items()), required=False)
    ratio = forms.DecimalField(
        label="抽查比例",
        required=False,
        min_value=0,
        max_value=1,
        decimal_places=4,
        help_text="如 0.3 即 30%（省级季度抽查不少于30%、月度不少于50%）",
    )
    count = forms.IntegerField(label="或抽查数量", required=False, min_value=1, max_value=100000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rubric"].queryset = Rubric.objects.filter(superseded=False)
        add_form_key(self)


@login_required
@require_http_methods(["GET", "POST"])
def check_new(request):
    user = request.user
    require(user, "assessment.manage")
    form = CheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pk, _ = create_once(
                actor=user,
                scope="assessment.check",
                key=request.POST.get(FORM_FIELD),
                create=lambda: checks.check_create(
                    actor=user,
                    title=data["title"],
                    kind=data["kind"],
                    rubric_id=data["rubric"].pk,
                    check_at=timezone.make_aware(data["check_at"])
                    if timezone.is_naive(data["check_at"])
                    else data["check_at"],
                    period_start=data["period_start"],
                    population_rule={
                        "platforms": [p.pk for p in data["platforms"]],
                        "org_types": data["org_types"],
                        "not_checked_months": data["not_checked_months"],
                    },
                    strata_by=data["strata_by"] or "",
                    ratio=data["ratio"],
                    count=data["count"],
                ),
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            return redirect("assessment:check", check_id=pk)
    return render(request, "assessment/check_form.html", context(user, "checks", form=form))


def _check_or_404(user, check_id) -> Check:
    require(user, "assessment.view")
    return get_scoped(Check.objects.select_related("rubric", "created_by"), user, check_id)


@login_required
@require_GET
def check_detail(request, check_id):
    user = request.user
    check = _check_or_404(user, check_id)
    page = paginate(request, selectors.sheets(user, check))
    bulletin = Bulletin.objects.filter(check_run=check).defer("docx", "pdf").first()
    checkers = (
        User.objects.filter(role="platform_admin", is_active=True).order_by("username")
        if may(user, "assessment.manage")
        else User.objects.none()
    )
    return render(
        request,
        "assessment/check_detail.html",
        context(
            user,
            "checks",
            check=check,
            page=page,
            bulletin=bulletin,
            checkers=checkers,
            strata_label=STRATA.get(check.strata_by, ""),
            can_confirm=may(user, "assessment.confirm"),
        ),
    )


@login_required
@require_POST
def check_step(request, check_id):
    """One step of the wizard: draw, assign, confirm, publish (the buttons the page shows)."""
    user = request.user
    require(user, "assessment.manage")
    check = _check_or_404(user, check_id)
    step, version = request.POST.get("step"), version_of(request)
    try:
        if step == "draw":
            checks.check_draw(
                actor=user, check_id=check.pk, version=version, seed=request.POST.get("seed")
            )
        elif step == "assign":
            checks.check_assign(
                actor=user,
                check_id=check.pk,
                version=version,
                checker_ids=request.POST.getlist("checkers"),
            )
        elif step == "confirm":
            checks.check_confirm(actor=user, check_id=check.pk, version=version)
        elif step == "publish":
            bulletins.bulletin_publish(actor=user, check_id=check.pk, version=version)
        else:
            raise Http404
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("assessment:check", check_id=check.pk)


def _sheet_or_404(user, sheet_id, action="view") -> ScoreSheet:
    require(user, "assessment.view")
    return get_scoped(
        ScoreSheet.objects.select_related(
            "check_run__rubric", "account__platform", "org", "checker"
        ),
        user,
        sheet_id,
        action,
    )


@login_required
@require_GET
def sheet_detail(request, sheet_id):
    user = request.user
    sheet = _sheet_or_404(user, sheet_id)
    items = list(ItemResult.objects.filter(sheet=sheet).select_related("indicator", "updated_by"))
    shots: dict[int, list[Screenshot]] = {}
    for shot in Screenshot.objects.filter(sheet=sheet).select_related("uploaded_by"):
        shots.setdefault(shot.item_id, []).append(shot)
    for item in items:
        item.shots = shots.get(item.pk, [])
    editable = (
        sheet.state == "scoring"
        and sheet.check_run.state == CheckState.SCORING
        and ScoreSheet.objects.restrict(user, "score").filter(pk=sheet.pk).exists()
    )
    return render(
        request,
        "assessment/sheet_detail.html",
        context(
            user,
            "checks",
            sheet=sheet,
            items=items,
            editable=editable,
            outcomes=[(Outcome.PASS, "未发现问题"), (Outcome.HIT, "发现问题")],
            screenshot_form=ScreenshotForm(),
            can_confirm=may(user, "assessment.confirm") and sheet.state == "submitted",
        ),
    )


@login_required
@require_POST
def sheet_action(request, sheet_id):
    user = request.user
    sheet = _sheet_or_404(user, sheet_id, "score")
    action, version = request.POST.get("action"), version_of(request)
    try:
        if action == "item":
            url = request.POST.get("evidence_url", "").strip()
            label = request.POST.get("evidence_label", "").strip()
            evaluation.item_record(
                actor=user,
                item_id=request.POST.get("item"),
                version=version,
                outcome=request.POST.get("outcome"),
                occurrences=request.POST.get("occurrences") or 0,
                note=request.POST.get("note", ""),
                reason=request.POST.get("reason", ""),
                evidence=[{"label": label, "url": url}] if (url or label) else None,
            )
        elif action == "submit":
            checks.sheet_submit(actor=user, sheet_id=sheet.pk, version=version)
        elif action in ("confirm", "return"):
            checks.sheet_confirm(
                actor=user,
                sheet_id=sheet.pk,
                version=version,
                approve=action == "confirm",
                reason=request.POST.get("reason", ""),
            )
        else:
            raise Http404
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("assessment:sheet", sheet_id=sheet.pk)


class ScreenshotForm(Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    image = forms.FileField(
        label="截图",
        help_text=f"JPG、PNG 或 GIF 图片，不超过 {screenshots.MAX_BYTES // (1024 * 1024)} MB，"
        f"每项最多 {screenshots.MAX_PER_ITEM} 张",
    )
    label = forms.CharField(
        label="截图说明",
        max_length=screenshots.MAX_LABEL,
        required=False,
        help_text="如：菜单“办事”点击无响应",
    )


@login_required
@require_POST
def screenshot_upload(request, sheet_id):
    user = request.user
    sheet = _sheet_or_404(user, sheet_id, "score")
    form = ScreenshotForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("assessment:sheet", sheet_id=sheet.pk)
    try:
        screenshots.screenshot_attach(
            actor=user,
            sheet_id=sheet.pk,
            item_id=form.cleaned_data["item"],
            upload=form.cleaned_data["image"],
            label=form.cleaned_data["label"],
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "截图已上传，随评分表保存")
    return redirect("assessment:sheet", sheet_id=sheet.pk)


@login_required
@require_POST
def screenshot_remove(request, sheet_id, screenshot_id):
    user = request.user
    sheet = _sheet_or_404(user, sheet_id, "score")
    try:
        screenshots.screenshot_remove(actor=user, sheet_id=sheet.pk, screenshot_id=screenshot_id)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "截图已删除")
    return redirect("assessment:sheet", sheet_id=sheet.pk)


@login_required
@require_GET
def screenshot_file(request, sheet_id, screenshot_id):
    """A screenshot, to whoever may see its sheet: shown on the page, or downloaded."""
    sheet = _sheet_or_404(request.user, sheet_id)
    shot = Screenshot.objects.filter(pk=screenshot_id, sheet=sheet).first()
    if shot is None:
        raise Http404
    try:
        handle = shot.file.open("rb")
    except FileNotFoundError:
        raise Http404("截图文件缺失") from None
    extension = shot.file.name.rsplit(".", 1)[-1]
    response = FileResponse(
        handle,
        as_attachment=request.GET.get("download") == "1",
        content_type=shot.content_type,
        filename=f"佐证截图-{sheet.account.name}-{shot.pk}.{extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def bulletin_file(request, check_id, kind):
    user = request.user
    check = _check_or_404(user, check_id)
    bulletin = Bulletin.objects.restrict(user).filter(check_run=check).first()
    if bulletin is None or kind not in ("docx", "pdf"):
        raise Http404
    content_type = (
        "application/pdf"
        if kind == "pdf"
        else "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response = HttpResponse(bytes(getattr(bulletin, kind)), content_type=content_type)
    name = f"{bulletin.doc_no}.{kind}"
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
