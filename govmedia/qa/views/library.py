"""The library's pages for staff: the list with its filters and exports, an entry with its
history of revisions and the review buttons, the form, the import of an exchange file."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from govmedia.core.errors import ServiceError
from govmedia.core.forms import add_service_error
from govmedia.core.idempotency import FORM_FIELD, add_form_key, create_once
from govmedia.core.numbers import int_or_none
from govmedia.core.pagination import paginate
from govmedia.core.scope import get_scoped, may
from govmedia.core.spreadsheets import ImportRejected, workbook_bytes, xlsx_response
from govmedia.core.uploads import read_at_most
from govmedia.orgs.models import Organization

from .. import selectors, services
from ..exchange import HEADERS, SHEET, entry_json, jsonl_lines, read_jsonl, read_xlsx, xlsx_row
from ..filters import STATE_CHOICES, filter_entries
from ..forms import EntryForm, ImportForm
from ..lifecycle import REVIEW, USE
from ..models import QAEntry, RevisionState

BASIS = "依据：通知第三部分（二）“依托政府网站集约化平台完善和使用统一、权威、全面的咨询答问库”"
MAX_IMPORT_BYTES = 20 * 1024 * 1024


def _crumbs(*extra):
    return [("咨询答问库", reverse("qa:entries")), *extra]


def entry_or_404(user, entry_id, action="view") -> QAEntry:
    if not may(user, f"qa.{action}"):
        raise Http404
    return get_scoped(
        QAEntry.objects.select_related("owner_org", "pending_revision", "published_revision"),
        user,
        entry_id,
        action,
    )


def _entries(request):
    return filter_entries(
        QAEntry.objects.restrict(request.user).select_related("owner_org"), request.GET
    )


@login_required
def entry_list(request):
    if not may(request.user, "qa.view"):
        raise Http404
    entries = _entries(request).order_by("-changed_at", "-id")
    return render(
        request,
        "qa/entries.html",
        {
            "page": paginate(request, entries),
            "states": STATE_CHOICES,
            "state": request.GET.get("state", ""),
            "q": request.GET.get("q", ""),
            "org": request.GET.get("org", ""),
            "orgs": Organization.objects.filter(
                pk__in=QAEntry.objects.restrict(request.user).values("owner_org_id")
            ).order_by("path"),
            "can_write": may(request.user, "qa.change"),
            "can_import": may(request.user, "qa.review"),
            "figures": selectors.suggestion_figures(request.user),
            "today": timezone.localdate(),
            "basis": BASIS,
            "querystring": request.GET.urlencode(),
            "breadcrumbs": _crumbs(),
        },
    )


def _export_rows(request):
    codes = dict(Organization.objects.exclude(credit_code="").values_list("pk", "credit_code"))
    entries = _entries(request).order_by("pk")
    for entry in entries.iterator(chunk_size=1000):
        yield entry_json(entry, codes.get(entry.owner_org_id, ""))


@login_required
def export_xlsx(request):
    if not may(request.user, "qa.view"):
        raise Http404
    return xlsx_response(
        "咨询答问库",
        SHEET,
        list(HEADERS),
        (xlsx_row(item) for item in _export_rows(request)),
        widths=[40, 40, 80, 40, 22, 12, 12],
    )


@login_required
def export_jsonl(request):
    if not may(request.user, "qa.view"):
        raise Http404
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(
        jsonl_lines(_export_rows(request)), content_type="application/jsonl; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="qa-{stamp}.jsonl"'
    return response


def _detail(request, entry, status=200, reject_error=""):
    user = request.user
    pending = entry.pending_revision
    return render(
        request,
        "qa/entry_detail.html",
        {
            "entry": entry,
            "pending": pending,
            "review_actions": REVIEW.offered(pending, user) if pending else [],
            "use_actions": USE.offered(entry, user),
            "can_edit": entry.state != "withdrawn"
            and QAEntry.objects.restrict(user, "change").filter(pk=entry.pk).exists(),
            "revisions": entry.revisions.select_related("author", "reviewed_by"),
            "revision_states": RevisionState,
            "reject_error": reject_error,
            "today": timezone.localdate(),
            "basis": BASIS,
            "breadcrumbs": _crumbs((f"条目 #{entry.pk}", None)),
        },
        status=status,
    )


@login_required
def entry_detail(request, entry_id: int):
    return _detail(request, entry_or_404(request.user, entry_id))


def _form_page(request, form, entry=None, status=200):
    return render(
        request,
        "qa/entry_form.html",
        {
            "form": form,
            "entry": entry,
            "basis": BASIS,
            "breadcrumbs": _crumbs(
                (f"条目 #{entry.pk}", reverse("qa:entry", args=[entry.pk]))
                if entry
                else ("新建条目", None),
                *((("修订", None),) if entry else ()),
            ),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_new(request):
    user = request.user
    if not may(user, "qa.change"):
        raise Http404
    form = EntryForm(request.POST or None, user=user, initial={"owner_org": user.org_id})
    add_form_key(form)  # a double click on 提交审核 makes one entry
    if request.method == "POST" and form.is_valid():
        try:
            owner = form.cleaned_data["owner_org"]
            pk, repeated = create_once(
                actor=user,
                scope="qa.entry_create",
                key=form.cleaned_data.get(FORM_FIELD),
                create=lambda: services.entry_create(
                    actor=user,
                    owner_org_id=owner.pk if owner else None,
                    content=form.content(),
                    note=form.cleaned_data["note"],
                ),
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                "该条目已经提交过，未重复新建" if repeated else "已提交，待区政府办公室审核后发布",
            )
            return redirect("qa:entry", entry_id=pk)
    return _form_page(request, form, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request, entry_id: int):
    user = request.user
    entry = entry_or_404(user, entry_id, "change")
    source = entry.pending_revision or entry
    initial = source.content() | {"variants": "\n".join(source.variants)}
    form = EntryForm(request.POST or None, user=user, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.entry_update(
                actor=user,
                entry_id=entry.pk,
                version=request.POST.get("version"),
                content=form.content(),
                note=form.cleaned_data["note"],
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                "修订已提交审核；审核通过前，群众和推荐答案仍使用已发布的版本"
                if entry.is_published
                else "修订已提交审核",
            )
            return redirect("qa:entry", entry_id=entry.pk)
    return _form_page(request, form, entry, status=400 if form.errors else 200)


DONE = {
    "approve": "已审核通过并发布",
    "reject": "已退回修改，并通知责任单位",
    "withdraw": "已停用：不再推荐，也不在公开查询中显示",
    "restore": "已恢复发布",
}


@login_required
@require_POST
def entry_act(request, entry_id: int):
    user = request.user
    entry = entry_or_404(user, entry_id)
    action = request.POST.get("action", "")
    note = request.POST.get("note", "")
    try:
        if action in ("approve", "reject"):
            revision_id = int_or_none(request.POST.get("revision", ""))
            if entry.pending_revision_id is None or revision_id != entry.pending_revision_id:
                raise ServiceError(
                    "该修订已被处理或已被新的修订替代，请刷新后再操作", code="conflict"
                )
            if action == "approve":
                services.revision_approve(actor=user, revision_id=revision_id, note=note)
            else:
                services.revision_reject(actor=user, revision_id=revision_id, note=note)
        elif action in ("withdraw", "restore"):
            service = services.entry_withdraw if action == "withdraw" else services.entry_restore
            service(actor=user, entry_id=entry.pk, version=request.POST.get("version"), reason=note)
        else:
            raise Http404
    except ServiceError as exc:
        if exc.status == 404:
            raise Http404 from None
        messages.error(request, exc.message)
        return _detail(request, entry_or_404(user, entry_id), status=exc.status)
    messages.success(request, DONE[action])
    return redirect("qa:entry", entry_id=entry.pk)


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request):
    user = request.user
    if not may(user, "qa.review"):
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.name.lower().endswith(".xlsx"):
                rows, bad = read_xlsx(workbook_bytes(upload))
            else:
                data = read_at_most(upload, MAX_IMPORT_BYTES)
                if data is None:
                    raise ServiceError("文件过大：最大 20 MB", field="file")
                try:
                    text = data.decode("utf-8-sig")
                except UnicodeDecodeError:
                    raise ServiceError("文件不是 UTF-8 编码的文本", field="file") from None
                rows, bad = read_jsonl(text)
            entries = services.entries_import(actor=user, rows=rows, errors=bad)
        except ImportRejected as exc:
            errors = exc.errors
            add_service_error(form, exc)
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"已导入并发布 {len(entries)} 个答问条目")
            return redirect("qa:entries")
    return render(
        request,
        "qa/import.html",
        {
            "form": form,
            "errors": errors[:200],
            "basis": BASIS,
            "breadcrumbs": _crumbs(("导入", None)),
        },
        status=400 if form.is_bound and (form.errors or errors) else 200,
    )
