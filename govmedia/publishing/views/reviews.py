"""审核待办 (the steps waiting for the user, overdue first) and the decision page: the revision
with its findings marked inline, the four checks (国办发〔2018〕123号), one acknowledgement per
`warn` finding, 通过 / 退回修改 / 驳回 with a reason, and 转交 to another eligible reviewer."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from govmedia.core.errors import ServiceError
from govmedia.core.pagination import paginate
from govmedia.core.scope import may, org_subtree_q
from govmedia.users.models import User

from .. import findings as screening
from .. import services
from ..forms import DecisionForm, ReassignForm
from ..lifecycle import contributor_ids, offered_step
from ..models import Article, Decision, ReviewRunStep, StepState
from ..selectors import inbox_counts, is_overdue, review_inbox
from ..services.flows import REVIEWING_ROLES
from .shared import crumbs, screened, show_error, tabs

DONE = {
    Decision.APPROVE: "已审核通过。",
    Decision.RETURN: "已退回修改，作者将收到通知。",
    Decision.REJECT: "已驳回。",
}


@login_required
def inbox(request):
    user = request.user
    if not may(user, "publishing.review"):
        raise Http404
    steps = review_inbox(user)
    now = timezone.now()
    waiting, overdue = inbox_counts(user)
    page = paginate(request, steps, count=waiting)
    return render(
        request,
        "publishing/inbox.html",
        {
            "page": page,
            "rows": [(s, is_overdue(s, now)) for s in page.object_list],
            "overdue": overdue,
            "breadcrumbs": crumbs(("审核待办", None)),
            **tabs(user, "inbox"),
        },
    )


def _step_or_404(user, step_id) -> ReviewRunStep:
    """A step of an article the user may see (reviewers of a district step included)."""
    step = (
        ReviewRunStep.objects.select_related(
            "run__article__org", "run__revision", "run__submitted_by"
        )
        .filter(pk=step_id, run__article__in=Article.objects.restrict(user, "view").alive())
        .first()
    )
    if step is None:
        raise Http404
    return step


def _candidates(user, step: ReviewRunStep):
    """Who the step may be handed to: reviewers in the article's unit's scope (the service
    checks the rest: not a contributor, not an approver of an earlier step)."""
    article = step.run.article
    taken = set(step.reviewers.values_list("pk", flat=True)) | contributor_ids(article.pk)
    return (
        User.objects.filter(is_active=True, role__in=REVIEWING_ROLES)
        .filter(Q(org__path__startswith=article.org.path) | org_subtree_q(user, "org"))
        .exclude(pk__in=taken)
        .select_related("org")
        .order_by("org__path", "name")
    )


def _page(request, step, *, form=None, reassign_form=None, status=200):
    user = request.user
    run = step.run
    revision = run.revision
    warnings = screening.warnings(run.findings)
    actions = offered_step(step, user)
    form = form or DecisionForm(
        warnings=warnings,
        initial={"version": step.version, "revision_hash": run.revision_hash},
    )
    reassign_form = reassign_form or ReassignForm(
        candidates=_candidates(user, step), initial={"version": step.version}
    )
    decisions = list(run.decisions.select_related("reviewer", "run_step"))
    return render(
        request,
        "publishing/review.html",
        {
            "step": step,
            "run": run,
            "article": run.article,
            "revision": revision,
            "screening": screened(revision.title, revision.body_text, run.findings),
            "form": form,
            "reassign_form": reassign_form,
            "can_decide": any(a in actions for a in Decision.values),
            "can_reassign": "reassign" in actions,
            "waiting": step.state == StepState.ACTIVE,
            "overdue": is_overdue(step),
            "reviewers": list(step.reviewers.select_related("org")),
            "decisions": decisions,
            "steps": list(run.steps.order_by("position")),
            "breadcrumbs": crumbs(
                ("审核待办", reverse("publishing:inbox")),
                (f"{step.label}：{run.article.title}", None),
            ),
            **tabs(user, "inbox"),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def review(request, step_id: int):
    user = request.user
    step = _step_or_404(user, step_id)
    if request.method == "GET":
        return _page(request, step)
    form = DecisionForm(request.POST, warnings=screening.warnings(step.run.findings))
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.review_decide(
                actor=user,
                run_step_id=step.pk,
                version=data["version"],
                decision=data["decision"],
                revision_hash=data["revision_hash"],
                reason=data.get("reason") or "",
                checks=form.checks(),
                acknowledgements=form.acknowledgements(),
            )
        except ServiceError as exc:
            show_error(form, exc)
            return _page(request, step, form=form, status=exc.status)
        messages.success(request, DONE[data["decision"]])
        return redirect("publishing:inbox")
    return _page(request, step, form=form, status=400)


@login_required
@require_POST
def reassign(request, step_id: int):
    user = request.user
    step = _step_or_404(user, step_id)
    form = ReassignForm(request.POST, candidates=User.objects.filter(is_active=True))
    if form.is_valid():
        try:
            services.review_reassign(
                actor=user,
                run_step_id=step.pk,
                version=form.cleaned_data["version"],
                to_user_id=form.cleaned_data["to_user"].pk,
                note=form.cleaned_data["note"],
            )
        except ServiceError as exc:
            show_error(form, exc)
            return _page(request, step, reassign_form=form, status=exc.status)
        messages.success(request, f"已转交给{form.cleaned_data['to_user'].name}。")
        return redirect("publishing:inbox")
    return _page(request, step, reassign_form=form, status=400)
