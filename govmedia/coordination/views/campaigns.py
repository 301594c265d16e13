"""转载任务 pages: the list, issuing one (preview the targets, then issue), a task's page with
each account's standing, and a unit's report by link and the issuer's exemption."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from govmedia.core.errors import Conflict, ServiceError
from govmedia.core.forms import add_service_error
from govmedia.core.pagination import paginate
from govmedia.core.scope import may

from .. import selectors, services
from ..filters import CAMPAIGN_FILTERS
from ..forms import IssueForm
from ..lifecycle import TASK
from ..models import Outcome, Priority, RepostTask
from .shared import campaign_or_404, crumbs, require_view, tabs, task_or_404, version_of


@login_required
def campaign_list(request):
    user = request.user
    require_view(user)
    page = paginate(request, selectors.campaigns(user, request.GET))
    counts = selectors.campaign_counts([c.pk for c in page.object_list], user=user)
    for campaign in page.object_list:
        campaign.counts = counts.get(campaign.pk)
    return render(
        request,
        "coordination/campaign_list.html",
        {
            "page": page,
            "filters": CAMPAIGN_FILTERS.echo(request.GET),
            "filtered": bool(CAMPAIGN_FILTERS.values(request.GET)),
            "priorities": Priority.choices,
            "breadcrumbs": crumbs(),
            **tabs(user, "campaigns"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def campaign_new(request):
    user = request.user
    if not may(user, "coordination.issue"):
        raise Http404
    initial = {"source": request.GET.get("source", "")}
    form = IssueForm(request.POST or None, user=user, initial=initial)
    preview = None
    if request.method == "POST" and form.is_valid():
        kind, source_id = form.source_parts()
        issuing = "issue" in request.POST
        try:
            source = services.resolve_source(user, kind, source_id)
            preview = selectors.preview_targets(
                user, form.rule(), source_account_id=source.account_id
            )
            if issuing:
                campaign = services.repost_campaign_issue(
                    actor=user,
                    source_kind=kind,
                    source_id=source_id,
                    rule=form.rule(),
                    deadline_value=form.cleaned_data["deadline_value"],
                    deadline_unit=form.cleaned_data["deadline_unit"],
                    priority=form.cleaned_data["priority"],
                    title=form.cleaned_data["title"],
                    note=form.cleaned_data["note"],
                    expected_count=form.cleaned_data["expected_count"],
                    review_exempt=form.cleaned_data.get("review_exempt", False),
                )
                messages.success(request, f"已向 {campaign.target_count} 个账号下达转载任务")
                return redirect("coordination:campaign", campaign_id=campaign.pk)
        except Conflict as exc:
            messages.error(request, exc.message)
        except ServiceError as exc:
            add_service_error(form, exc)
            preview = None
        if preview is not None:
            # The count shown is the count issued: the hidden field carries it to the issue.
            data = request.POST.copy()
            data["expected_count"] = str(preview.count)
            form = IssueForm(data, user=user)
            form.is_valid()
    return render(
        request,
        "coordination/campaign_form.html",
        {
            "form": form,
            "preview": preview,
            "breadcrumbs": crumbs(("下达转载任务", None)),
            **tabs(user, "campaigns"),
        },
    )


@login_required
def campaign_detail(request, campaign_id: int):
    user = request.user
    campaign = campaign_or_404(user, campaign_id)
    rows = (
        RepostTask.objects.restrict(user)
        .with_outcome()
        .filter(campaign=campaign)
        .select_related("account__platform", "org", "post", "reported_by", "exempted_by", "article")
        .order_by("org__path", "account__name", "pk")
    )
    page = paginate(request, rows, per_page=50)
    for task in page.object_list:
        task.campaign = campaign
        task.actions = TASK.offered(task, user)
    counts = selectors.campaign_counts([campaign.pk], user=user).get(campaign.pk)
    may_remind = (
        may(user, "coordination.remind")
        and RepostTask.objects.restrict(user, "remind").filter(campaign=campaign).open().exists()
    )
    return render(
        request,
        "coordination/campaign_detail.html",
        {
            "campaign": campaign,
            "may_remind": may_remind,
            "page": page,
            "counts": counts,
            "outcomes": Outcome,
            "breadcrumbs": crumbs((campaign.title, None)),
            **tabs(user, "campaigns"),
        },
    )


@login_required
@require_POST
def task_report(request, task_id: int):
    task = task_or_404(request.user, task_id, "complete")
    try:
        task = services.repost_task_report(
            actor=request.user,
            task_id=task.pk,
            version=version_of(request),
            url=request.POST.get("url", ""),
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        if task.state == "completed":
            messages.success(request, f"已核实：{task.account.name}已转载（匹配度 {task.score}）")
        else:
            messages.success(request, "已报送转载链接，下次采集时核实")
    return redirect("coordination:campaign", campaign_id=task.campaign_id)


@login_required
@require_POST
def task_exempt(request, task_id: int):
    task = task_or_404(request.user, task_id, "issue")
    try:
        services.repost_task_exempt(
            actor=request.user,
            task_id=task.pk,
            version=version_of(request),
            reason=request.POST.get("reason", ""),
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已豁免{task.account.name}的转载任务")
    return redirect("coordination:campaign", campaign_id=task.campaign_id)


@login_required
@require_POST
def task_draft(request, task_id: int):
    """转载: the task's 转载 draft for the unit's review, then its edit page."""
    task = task_or_404(request.user, task_id, "complete")
    try:
        article = services.repost_task_draft(actor=request.user, task_id=task.pk)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("coordination:campaign", campaign_id=task.campaign_id)
    messages.success(request, "已生成转载稿，请核对后提交审核")
    return redirect("publishing:article", article_id=article.pk)


@login_required
@require_POST
def campaign_remind(request, campaign_id: int):
    """催办: the open tasks of the campaign the user may remind (or those ticked)."""
    campaign = campaign_or_404(request.user, campaign_id)
    ticked = request.POST.getlist("task_ids") or None
    try:
        result = services.repost_tasks_remind(
            actor=request.user, campaign_id=campaign.pk, task_ids=ticked
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        note = f"已催办 {len(result.reminded)} 个账号"
        if result.skipped:
            note += f"；{len(result.skipped)} 个账号今天已催办过（每个工作日催办一次）"
        messages.success(request, note)
    return redirect("coordination:campaign", campaign_id=campaign.pk)
