"""未经审核发布: the pulled posts that match no approved revision, per unit (scoped by the
post's account's host unit), one with the nearest revision side by side, and the platform
administrator's dismissal of a false positive."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from govmedia.core.errors import ServiceError
from govmedia.core.numbers import int_or_none, optional_id
from govmedia.core.pagination import paginate
from govmedia.core.scope import get_scoped, may
from govmedia.orgs.models import Organization
from govmedia.registry.models import MediaAccount

from .. import richtext, textdiff
from ..models import MatchState, PostMatch
from ..unapproved import match_since, post_match_dismiss, post_matches

BASIS = "依据：通知第四部分（二）“分级审核、先审后发、授权发布”"


def _crumbs(*extra):
    return [("未经审核发布", reverse("publishing:unapproved")), *extra]


_int = optional_id


@login_required
def unapproved_list(request):
    user = request.user
    if not may(user, "publishing.view"):
        raise Http404
    state = request.GET.get("state", MatchState.UNAPPROVED)
    if state not in MatchState.values:
        state = ""
    org_id, account_id = _int(request.GET.get("org")), _int(request.GET.get("account"))
    rows = post_matches(user, state=state, org_id=org_id, account_id=account_id)
    visible = PostMatch.objects.restrict(user)
    accounts = MediaAccount.objects.filter(pk__in=visible.values("account_id").distinct()).order_by(
        "host_org__path", "name"
    )
    orgs = Organization.objects.filter(
        pk__in=visible.values("account__host_org_id").distinct()
    ).order_by("path")
    return render(
        request,
        "publishing/unapproved_list.html",
        {
            "page": paginate(request, rows),
            "state": state,
            "states": MatchState.choices,
            "org": org_id,
            "account": account_id,
            "orgs": orgs,
            "accounts": accounts,
            "filtered": bool(org_id or account_id or state != MatchState.UNAPPROVED),
            "since": match_since(),
            "basis": BASIS,
            "breadcrumbs": _crumbs(),
        },
    )


def _match_or_404(user, match_id) -> PostMatch:
    if not may(user, "publishing.view"):
        raise Http404
    return get_scoped(
        PostMatch.objects.select_related(
            "post",
            "account__platform",
            "account__host_org",
            "revision__article",
            "nearest__article",
            "publication",
            "dismissed_by",
        ),
        user,
        match_id,
    )


def _plain(text: str, html: bool) -> str | None:
    """The text as the diff shows it; None beyond the size richtext reads."""
    try:
        return richtext.plain_text(text) if html else text.replace("\r", "")
    except ValueError:
        return None


@login_required
def unapproved_detail(request, match_id: int):
    match = _match_or_404(request.user, match_id)
    post = match.post
    revision = match.revision or match.nearest
    post_text = _plain(post.text, post.is_html)
    diff = None
    if revision is not None and post_text is not None:
        old = _plain(revision.body_html, True) or ""
        left, right = textdiff.side_by_side(old, post_text)
        diff = {"left": left, "right": right, "summary": textdiff.summary(old, post_text)}
    return render(
        request,
        "publishing/unapproved_detail.html",
        {
            "match": match,
            "post": post,
            "revision": revision,
            "diff": diff,
            "post_text": (post_text or "")[:20000],
            "can_dismiss": match.state == MatchState.UNAPPROVED
            and may(request.user, "publishing.unapproved_dismiss"),
            "basis": BASIS,
            "breadcrumbs": _crumbs((post.headline or f"#{match.pk}", None)),
        },
    )


@login_required
@require_POST
def unapproved_dismiss(request, match_id: int):
    match = _match_or_404(request.user, match_id)
    version = int_or_none(request.POST.get("version", ""))
    version = -1 if version is None else version
    try:
        post_match_dismiss(
            actor=request.user,
            match_id=match.pk,
            version=version,
            reason=request.POST.get("reason", ""),
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已排除：该内容不再计为未经审核发布")
    return redirect("publishing:unapproved_detail", match_id=match.pk)
