"""会签 on the article's page: the author's unit asks another unit (and may withdraw the
request), the countersigning unit's designated reviewer approves or returns. The page itself
is the article's (its grant row lets the reviewer read it); these are the three writes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from govmedia.core.errors import ServiceError
from govmedia.core.scope import get_scoped

from .. import services
from ..models import Countersign
from .shared import article_or_404, version_of


@login_required
@require_POST
def countersign_add(request, article_id: int):
    article = article_or_404(request.user, article_id, "write")
    try:
        countersign = services.countersign_add(
            actor=request.user,
            article_id=article.pk,
            org_id=request.POST.get("org", ""),
            note=request.POST.get("note", ""),
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已请{countersign.org.name}会签")
    return redirect("publishing:article", article_id=article.pk)


def _countersign_or_404(user, article_id: int, countersign_id: int, action: str) -> Countersign:
    return get_scoped(
        Countersign.objects.filter(article_id=article_id).select_related("org"),
        user,
        countersign_id,
        action,
    )


@login_required
@require_POST
def countersign_remove(request, article_id: int, countersign_id: int):
    countersign = _countersign_or_404(request.user, article_id, countersign_id, "write")
    try:
        services.countersign_remove(
            actor=request.user, countersign_id=countersign.pk, version=version_of(request)
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"已撤销{countersign.org.name}的会签")
    return redirect("publishing:article", article_id=article_id)


@login_required
@require_POST
def countersign_decide(request, article_id: int, countersign_id: int):
    countersign = _countersign_or_404(request.user, article_id, countersign_id, "review")
    try:
        services.countersign_decide(
            actor=request.user,
            countersign_id=countersign.pk,
            version=version_of(request),
            decision=request.POST.get("decision", ""),
            reason=request.POST.get("reason", ""),
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已提交会签意见")
    return redirect("publishing:article", article_id=article_id)
