"""The inbox (留言办理): counts and filters (我的, 本单位, 已超期 …), its Excel export, and
entering or importing messages that came by no API."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from govmedia.core.errors import ServiceError
from govmedia.core.forms import add_service_error
from govmedia.core.idempotency import FORM_FIELD, create_once
from govmedia.core.pagination import paginate
from govmedia.core.scope import may
from govmedia.core.spreadsheets import ImportRejected, xlsx_response
from govmedia.orgs.models import Organization
from govmedia.registry.models import MediaAccount

from .. import selectors, services
from ..filters import MESSAGE_FILTERS, VIEWS
from ..forms import ImportForm, MessageForm
from ..models import MessageClass, MessageState, Source
from .shared import common, crumbs, require_view

EXPORT_LIMIT = 20000
# The list says "more than 2,000" rather than counting a year of closed messages exactly:
# the count stops there, so the page costs the same with a million rows.
COUNT_CAP = 2_000


@login_required
def inbox(request):
    user = request.user
    require_view(user)
    now = timezone.now()
    rows = selectors.inbox(user, request.GET, now=now)
    # Only indexed columns in the count, so PostgreSQL answers it from the index alone.
    total = rows.order_by().values("org_id")[: COUNT_CAP + 1].count()
    # The page's ids from the messages alone, then those rows with their joins: a text search
    # the planner thinks rare would otherwise join every match before sorting them.
    page = paginate(request, rows.values_list("pk", flat=True), count=min(total, COUNT_CAP))
    page.object_list = selectors.inbox_rows(user, list(page.object_list))
    page.capped = total > COUNT_CAP
    counts = selectors.inbox_counts(user, now=now)
    params = MESSAGE_FILTERS.echo(request.GET)
    params["view"] = params["view"] or "open"
    for message in page.object_list:
        message.overdue = message.is_open and message.due_at < now
    return render(
        request,
        "interaction/inbox.html",
        {
            "page": page,
            "counts": counts,
            "views": VIEWS,
            "filters": params,
            "filtered": bool(set(MESSAGE_FILTERS.values(request.GET)) - {"view"}),
            "states": MessageState.choices,
            "classes": MessageClass.choices,
            "sources": Source.choices,
            "querystring": request.GET.urlencode(),
            "breadcrumbs": crumbs(),
            **common(user, "inbox"),
        },
    )


@login_required
def inbox_export(request):
    user = request.user
    require_view(user)
    rows = selectors.inbox(user, request.GET)[:EXPORT_LIMIT]
    return xlsx_response(
        "留言",
        "留言",
        [
            "收到时间",
            "来源",
            "政务新媒体",
            "承办单位",
            "留言人",
            "留言内容",
            "分类",
            "状态",
            "答复期限",
            "答复时间",
            "答复用时（工作小时）",
        ],
        (
            (
                timezone.localtime(m.received_at).strftime("%Y-%m-%d %H:%M"),
                m.get_source_display(),
                m.account.name if m.account else "",
                m.org.name,
                m.author_name,
                m.text,
                m.class_label,
                m.get_state_display(),
                timezone.localtime(m.due_at).strftime("%Y-%m-%d %H:%M"),
                timezone.localtime(m.answered_at).strftime("%Y-%m-%d %H:%M")
                if m.answered_at
                else "",
                m.response_hours if m.response_hours is not None else "",
            )
            for m in rows
        ),
        widths=[18, 10, 20, 20, 12, 60, 8, 8, 18, 18, 12],
    )


def _entry_choices(user):
    accounts = MediaAccount.objects.restrict(user).active().order_by("name")[:500]
    orgs = Organization.objects.restrict(user).active().order_by("path")[:500]
    return list(accounts), list(orgs)


@login_required
@require_http_methods(["GET", "POST"])
def message_new(request):
    user = request.user
    if not may(user, "interaction.handle"):
        raise Http404
    accounts, orgs = _entry_choices(user)
    form = MessageForm(
        request.POST or None,
        request.FILES or None,
        accounts=accounts,
        orgs=orgs,
        initial={"org_id": user.org_id},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            message_id, _ = create_once(
                actor=user,
                scope="interaction.message",
                key=request.POST.get(FORM_FIELD),
                create=lambda: services.message_create(
                    actor=user,
                    source=data["source"],
                    account_id=data["account_id"],
                    org_id=data["org_id"] or user.org_id,
                    author_name=data["author_name"],
                    author_contact=data["author_contact"],
                    reference=data["reference"],
                    received_at=data["received_at"],
                    text=data["text"],
                    attachments=request.FILES.getlist("attachments"),
                ),
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, "已登记留言")
            return redirect("interaction:message", message_id=message_id)
    return render(
        request,
        "interaction/message_form.html",
        {"form": form, "breadcrumbs": crumbs(("登记留言", None)), **common(user, "inbox")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def message_import(request):
    user = request.user
    if not may(user, "interaction.handle"):
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            made = services.message_import(actor=user, upload=form.cleaned_data["file"])
        except ImportRejected as exc:
            errors = exc.errors
            form.add_error(None, exc.message)
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"已导入 {len(made)} 条留言")
            return redirect("interaction:inbox")
    return render(
        request,
        "interaction/import.html",
        {
            "form": form,
            "errors": errors,
            "breadcrumbs": crumbs(("导入留言", None)),
            **common(user, "inbox"),
        },
    )
