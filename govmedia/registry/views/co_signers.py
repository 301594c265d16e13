"""备案审核人员: who co-signs (主管单位签章) the filings the unit supervises, and the 审核人 the unit
administrator designates to co-sign besides its 主管单位审核人 and 单位管理员."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from govmedia.core.errors import ServiceError
from govmedia.core.numbers import int_or_none
from govmedia.core.pagination import paginate
from govmedia.core.roles import Role
from govmedia.core.scope import may
from govmedia.users.models import User

from .. import services
from ..models import CoSigner
from .shared import filing_crumbs


@login_required
@require_http_methods(["GET", "POST"])
def co_signer_list(request):
    if not may(request.user, "filings.designate"):
        raise Http404
    if request.method == "POST":
        user_id = int_or_none(request.POST.get("user", ""))
        try:
            changed = services.co_signer_set(
                actor=request.user,
                user_id=-1 if user_id is None else user_id,
                designated=request.POST.get("designated") == "1",
            )
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已保存" if changed else "没有变化")
        return redirect("registry:co_signers")
    people = (
        User.objects.restrict(request.user, "change")
        .filter(
            is_active=True,
            role__in=[Role.REVIEWER, Role.SUPERVISOR_REVIEWER, Role.UNIT_ADMIN],
        )
        .annotate(designated=Exists(CoSigner.objects.filter(user=OuterRef("pk"))))
        .select_related("org")
        .order_by("org__path", "role", "name")
    )
    return render(
        request,
        "registry/co_signers.html",
        {
            "page": paginate(request, people),
            "breadcrumbs": filing_crumbs(("备案审核人员", None)),
        },
    )
