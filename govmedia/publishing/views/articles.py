"""稿件 pages: 我的稿件 (the list), 新建稿件 and 编辑 (the vendored editor, images uploaded to
`image_upload`), the article's page (revisions, side-by-side diff, runs with each decision and
its reviewer, publications, and the buttons the lifecycle offers) and its actions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from govmedia.core.errors import ServiceError
from govmedia.core.idempotency import FORM_FIELD, add_form_key, create_once
from govmedia.core.pagination import paginate
from govmedia.core.scope import may
from govmedia.orgs.models import Organization, OrgStatus, OrgType

from .. import richtext, services, textdiff
from ..filters import ARTICLE_FILTERS
from ..forms import ArticleForm, ManualPublicationForm, PublishForm
from ..lifecycle import active_run, offered
from ..models import (
    RELEASED_STATES,
    Article,
    ArticleGrant,
    ArticleState,
    ContentClass,
    PublicationState,
    RevisionImage,
)
from ..selectors import article_timeline
from ..services.publications import publishes_through_api
from .shared import article_or_404, crumbs, screened, show_error, tabs, version_of

DONE = {
    "submit": "已提交审核。",
    "withdraw": "已撤回，稿件回到草稿状态。",
    "delete": "稿件已删除。",
}


# ---- list -----------------------------------------------------------------------------------


@login_required
def article_list(request):
    user = request.user
    scope = request.GET.get("scope") or ("mine" if may(user, "publishing.write") else "all")
    articles = Article.objects.restrict(user, "view").alive()
    if scope == "mine":
        articles = articles.filter(author=user)
    articles = ARTICLE_FILTERS.apply(articles, request.GET, user=user)
    if ARTICLE_FILTERS.values(request.GET).get("account_id"):
        articles = articles.distinct()  # (through the targets: one row per article)
    filters = ARTICLE_FILTERS.echo(request.GET)
    page = paginate(request, articles.select_related("org", "author", "current_revision"))
    return render(
        request,
        "publishing/article_list.html",
        {
            "page": page,
            "filters": filters,
            "filtered": any(v for k, v in filters.items()),
            "scope": scope,
            "states": ArticleState.choices,
            "classes": ContentClass.choices,
            "breadcrumbs": crumbs(("我的稿件" if scope == "mine" else "全部稿件", None)),
            **tabs(user, "articles"),
        },
    )


# ---- writing --------------------------------------------------------------------------------


def _form_values(form) -> dict:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "body_html": data.get("body") or "",
        "content_class": data["content_class"],
        "target_ids": [a.pk for a in data.get("targets") or ()],
        "source_url": data.get("source_url") or "",
    }


@login_required
@require_http_methods(["GET", "POST"])
def article_new(request):
    user = request.user
    if not may(user, "publishing.write"):
        raise Http404
    form = ArticleForm(request.POST or None, user=user, initial={"org": user.org_id})
    add_form_key(form)  # a double click on 保存草稿 makes one draft
    if request.method == "POST" and form.is_valid():
        try:
            pk, repeated = create_once(
                actor=user,
                scope="articles.create",
                key=form.cleaned_data.get(FORM_FIELD),
                create=lambda: services.article_create(
                    actor=user, org_id=form.cleaned_data["org"].pk, **_form_values(form)
                ),
            )
        except ServiceError as exc:
            show_error(form, exc)
        else:
            article = Article.objects.get(pk=pk)
            if repeated:
                messages.info(request, "该稿件已经保存过，未重复新建")
                return redirect("publishing:article", article_id=article.pk)
            messages.success(request, "草稿已保存。可继续插入图片、设置封面，修改完成后提交审核。")
            return redirect("publishing:article", article_id=article.pk)
    return _form_page(request, form, article=None, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def article_edit(request, article_id: int):
    user = request.user
    article = article_or_404(user, article_id, "write")
    if "revise" not in offered(article, user):
        messages.error(request, f"稿件“{article.get_state_display()}”，不能修改")
        return redirect("publishing:article", article_id=article.pk)
    revision = article.current_revision
    form = ArticleForm(
        request.POST or None,
        user=user,
        article=article,
        initial={
            "title": revision.title,
            "content_class": revision.content_class,
            "targets": [t["id"] for t in revision.targets],
            "source_url": revision.source_url,
            "body": revision.body_html,
            "cover": revision.cover_id,
            "version": article.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.article_revise(
                actor=user,
                article_id=article.pk,
                version=form.cleaned_data.get("version") or 0,
                cover_image_id=form.cleaned_data.get("cover"),
                **_form_values(form),
            )
        except ServiceError as exc:
            show_error(form, exc)
        else:
            messages.success(request, "已保存为新的修订。修改后须重新提交审核。")
            return redirect("publishing:article", article_id=article.pk)
    return _form_page(request, form, article=article, status=400 if form.errors else 200)


def _form_page(request, form, *, article, status=200):
    user = request.user
    if article is None:
        title, trail = "新建稿件", crumbs(("新建稿件", None))
        findings = None
    else:
        title = f"编辑：{article.title}"
        trail = crumbs(
            (article.title, reverse("publishing:article", args=[article.pk])), ("编辑", None)
        )
        revision = article.current_revision
        findings = screened(revision.title, revision.body_text, revision.findings)
    return render(
        request,
        "publishing/article_form.html",
        {
            "form": form,
            "article": article,
            "title": title,
            "screening": findings,
            "upload_url": reverse("publishing:image_upload", args=[article.pk]) if article else "",
            "in_review": article is not None and article.state == ArticleState.IN_REVIEW,
            "breadcrumbs": trail,
            **tabs(user, "articles"),
        },
        status=status,
    )


@login_required
@require_POST
def image_upload(request, article_id: int):
    """The editor's upload contract: multipart `image` → {"url"}, or {"code","message","field"}
    with a 4xx status (article-editor.js shows the message as it is)."""
    try:
        article = article_or_404(request.user, article_id, "write")  # scope first: 404 says nothing
        upload = request.FILES.get("image")
        if upload is None:
            raise ServiceError("请选择要上传的图片", field="image")
        image = services.article_image_add(actor=request.user, article_id=article.pk, upload=upload)
    except ServiceError as exc:
        return JsonResponse(
            {"code": exc.code, "message": exc.message, "field": exc.field or "image"},
            status=exc.status,
        )
    return JsonResponse({"url": image.file.url, "id": image.pk})


@login_required
def image_file(request, article_id: int, name: str):
    """An article's image, to those who may see the article (MEDIA_URL/publishing/…)."""
    article = article_or_404(request.user, article_id)
    image = RevisionImage.objects.filter(
        article=article, file=f"publishing/{article.pk}/{name}"
    ).first()
    if image is None:
        raise Http404
    response = FileResponse(image.file.open("rb"), content_type=image.content_type)
    response["Cache-Control"] = "private, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---- one article ----------------------------------------------------------------------------


def _number(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@login_required
def article_detail(request, article_id: int):
    user = request.user
    article = article_or_404(user, article_id)
    revisions = list(article.revisions.select_related("author").order_by("number"))
    current = article.current_revision
    latest = revisions[-1].number if revisions else 1
    to_number = _number(request.GET.get("to"), latest)
    from_number = _number(request.GET.get("from"), max(1, to_number - 1))
    by_number = {r.number: r for r in revisions}
    diff = None
    if len(revisions) > 1 and from_number in by_number and to_number in by_number:
        old, new = by_number[from_number], by_number[to_number]
        old_text = f"{old.title}\n\n{richtext.plain_text(old.body_html)}"
        new_text = f"{new.title}\n\n{richtext.plain_text(new.body_html)}"
        left, right = textdiff.side_by_side(old_text, new_text)
        diff = {
            "old": old,
            "new": new,
            "left": left,
            "right": right,
            "summary": textdiff.summary(old_text, new_text),
        }
    actions = offered(article, user)
    runs = list(
        article.runs.select_related("submitted_by", "revision").prefetch_related(
            "steps__reviewers", "decisions__reviewer"
        )
    )
    targets = list(article.targets.select_related("account__platform"))
    publications = list(
        article.publications.select_related(
            "account__platform", "requested_by", "revision"
        ).prefetch_related("post_matches__post", "post_matches__revision")
    )
    # The current revision's live publication per account: no second button for it.
    live = {
        p.account_id: p
        for p in publications
        if p.revision_id == article.current_revision_id and p.state not in RELEASED_STATES
    }
    now = timezone.localtime()
    return render(
        request,
        "publishing/article_detail.html",
        {
            "article": article,
            "revision": current,
            "screening": screened(current.title, current.body_text, current.findings),
            "revisions": revisions,
            "diff": diff,
            "from_number": from_number,
            "to_number": to_number,
            "runs": [(run, _run_steps(run)) for run in runs],
            "active_run": active_run(article),
            "timeline": article_timeline(article),
            "targets": [
                (t, publishes_through_api(t.account.platform.code), live.get(t.account_id))
                for t in targets
            ],
            "publications": publications,
            "pending_states": (PublicationState.SCHEDULED, PublicationState.QUEUED),
            "actions": actions,
            "can_edit": "revise" in actions,
            "can_publish": "publish" in actions,
            "publish_form": PublishForm(initial={"version": article.version}),
            "manual_form": ManualPublicationForm(
                initial={"version": article.version, "published_at": now}
            ),
            **_countersigns(article, user),
            "breadcrumbs": crumbs((article.title, None)),
            **tabs(user, "articles"),
        },
    )


def _run_steps(run):
    """Each step of a run with its decisions (谁审查、谁负责: every decision names its reviewer)."""
    decisions = list(run.decisions.all())
    return [
        (step, [d for d in decisions if d.run_step_id == step.pk])
        for step in sorted(run.steps.all(), key=lambda s: s.position)
    ]


@login_required
@require_POST
def article_act(request, article_id: int):
    article = article_or_404(request.user, article_id)
    action = request.POST.get("action", "")
    service = {
        "submit": services.article_submit,
        "withdraw": services.article_withdraw,
        "delete": services.article_delete,
    }.get(action)
    if service is None:
        raise Http404
    try:
        service(actor=request.user, article_id=article.pk, version=version_of(request))
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, DONE[action])
        if action == "delete":
            return redirect("publishing:articles")
    return redirect("publishing:article", article_id=article.pk)


@login_required
@require_POST
def article_publish(request, article_id: int):
    """发布 to one target, at once or at a chosen time (授权发布人 only; the service checks)."""
    article = article_or_404(request.user, article_id)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, "定时发布时间格式不正确，请重新选择")
        return redirect("publishing:article", article_id=article.pk)
    at = form.cleaned_data.get("at")
    if at is not None and timezone.is_naive(at):
        at = timezone.make_aware(at)
    try:
        publication = services.publication_publish(
            actor=request.user,
            article_id=article.pk,
            target_id=form.cleaned_data["target"],
            version=form.cleaned_data["version"],
            at=at,
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        if publication.state == PublicationState.SCHEDULED:
            messages.success(
                request,
                f"已定时于 {timezone.localtime(publication.due_at):%Y-%m-%d %H:%M} "
                f"发布到“{publication.account.name}”。稿件修改或删除将自动取消。",
            )
        else:
            messages.success(request, f"已提交发布到“{publication.account.name}”，结果稍后显示。")
    return redirect("publishing:article", article_id=article.pk)


@login_required
@require_POST
def article_record_manual(request, article_id: int):
    """登记 a publication made in the platform's own app (抖音、快手)."""
    article = article_or_404(request.user, article_id)
    form = ManualPublicationForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写发布时间和作品链接")
        return redirect("publishing:article", article_id=article.pk)
    published_at = form.cleaned_data.get("published_at")
    if published_at is not None and timezone.is_naive(published_at):
        published_at = timezone.make_aware(published_at)
    try:
        services.publication_record_manual(
            actor=request.user,
            article_id=article.pk,
            target_id=form.cleaned_data["target"],
            version=form.cleaned_data["version"],
            url=form.cleaned_data.get("url") or "",
            published_at=published_at,
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已登记发布记录。")
    return redirect("publishing:article", article_id=article.pk)


@login_required
@require_POST
def publication_cancel(request, article_id: int, publication_id: int):
    article = article_or_404(request.user, article_id)
    publication = article.publications.filter(pk=publication_id).first()
    if publication is None:
        raise Http404
    try:
        services.publication_cancel(
            actor=request.user,
            publication_id=publication.pk,
            version=version_of(request),
            reason=request.POST.get("reason", ""),
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已取消发布。")
    return redirect("publishing:article", article_id=article.pk)


def _countersigns(article, user) -> dict:
    """会签 on the page: the requests, the units that may be asked (for the author's unit),
    and which requests this user decides (their grant rows)."""
    rows = list(article.countersigns.select_related("org", "decided_by", "requested_by"))
    granted = set(
        ArticleGrant.objects.filter(user=user, article=article).values_list(
            "countersign_id", flat=True
        )
    )
    for row in rows:
        row.mine = row.pk in granted
        row.current = row.revision_id == article.current_revision_id
    may_ask = (
        article.state != ArticleState.PUBLISHED
        and Article.objects.restrict(user, "write").filter(pk=article.pk).exists()
    )
    asked = {row.org_id for row in rows}
    units = (
        Organization.objects.filter(status=OrgStatus.ACTIVE)
        .exclude(path__startswith=article.org.path)
        .exclude(pk__in=asked)
        .exclude(org_type__in=[OrgType.DISTRICT, OrgType.INTERNAL])
        .order_by("path")
        if may_ask
        else []
    )
    return {"countersigns": rows, "may_countersign": may_ask, "countersign_units": units}
