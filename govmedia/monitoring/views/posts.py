"""已发布内容 and 采集记录: what the pulls brought back, and how each pull went."""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from govmedia.core.numbers import optional_id
from govmedia.core.pagination import paginate
from govmedia.core.scope import get_scoped, may

from ..models import Post, PullError, PullOutcome, PullRun, Rectification
from .dormant import crumbs

_int = optional_id


def filter_posts(posts, *, account_id=None, org_id=None, deleted=None, q=""):
    """The filters of the post list, shared by the page and the API."""
    if account_id:
        posts = posts.filter(account_id=account_id)
    if org_id:
        posts = posts.filter(account__host_org__path__contains=f"/{int(org_id)}/")
    if deleted is True:
        posts = posts.filter(deleted_at__isnull=False)
    elif deleted is False:
        posts = posts.filter(deleted_at__isnull=True)
    q = (q or "").strip()[:100]
    if q:
        posts = posts.filter(Q(title__icontains=q) | Q(text__icontains=q))
    return posts


@login_required
def post_list(request):
    if not may(request.user, "monitoring.view"):
        raise Http404
    deleted = {"1": True, "0": False}.get(request.GET.get("deleted", ""))
    filters = {
        "account": _int(request.GET.get("account", "")),
        "deleted": request.GET.get("deleted", ""),
        "q": request.GET.get("q", "").strip()[:100],
    }
    posts = filter_posts(
        Post.objects.restrict(request.user).select_related("account", "account__platform"),
        account_id=filters["account"],
        deleted=deleted,
        q=filters["q"],
    )
    return render(
        request,
        "monitoring/posts.html",
        {
            "page": paginate(request, posts.order_by("-published_at", "-id")),
            "filters": filters,
            "tab": "posts",
            "breadcrumbs": crumbs(("已发布内容", None)),
        },
    )


@login_required
def post_detail(request, post_id: int):
    if not may(request.user, "monitoring.view"):
        raise Http404
    post = get_scoped(
        Post.objects.select_related("account", "account__platform", "account__host_org"),
        request.user,
        post_id,
    )
    return render(
        request,
        "monitoring/post_detail.html",
        {
            "post": post,
            "items": Rectification.objects.restrict(request.user).filter(post=post).order_by("-id"),
            "tab": "posts",
            "breadcrumbs": crumbs(
                ("已发布内容", reverse("monitoring:posts")), (post.headline[:30] or "内容", None)
            ),
        },
    )


@login_required
def run_list(request):
    if not may(request.user, "monitoring.view"):
        raise Http404
    outcome = request.GET.get("outcome", "")
    runs = PullRun.objects.restrict(request.user).select_related("account", "account__platform")
    if outcome in PullOutcome.values:
        runs = runs.filter(outcome=outcome)
    account_id = _int(request.GET.get("account", ""))
    if account_id:
        runs = runs.filter(account_id=account_id)
    return render(
        request,
        "monitoring/runs.html",
        {
            "page": paginate(request, runs.order_by("-started_at", "-id")),
            "outcome": outcome,
            "outcomes": PullOutcome.choices,
            "errors": dict(PullError.choices),
            "tab": "runs",
            "breadcrumbs": crumbs(("采集记录", None)),
        },
    )
