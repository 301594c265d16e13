"""备案 pages: the list with 我的待办, starting and editing a filing, its record and its
transitions (提交, 主管单位审核通过, 备案, 退回)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from govmedia.core.errors import ServiceError
from govmedia.core.forms import add_service_error
from govmedia.core.idempotency import FORM_FIELD, add_form_key, create_once
from govmedia.core.numbers import int_or_none
from govmedia.core.pagination import paginate
from govmedia.core.scope import may
from govmedia.orgs.forms import active_orgs_in_scope

from .. import deadlines, selectors, services
from ..display import form_display
from ..filters import ACCOUNT_FILTERS, FILING_FILTERS, todo_q
from ..forms import BASIS, ApproveForm, FilingForm, ReturnForm, ScanForm, initial_from
from ..lifecycle import TRANSITIONS, is_designated
from ..masking import sees_full_phones
from ..models import FORM_FIELDS, Filing, FilingKind, FilingState, MediaAccount
from ..next_step import next_step, people_text
from .shared import account_crumbs, account_or_404, filing_crumbs, filing_or_404

# 关停 and 注销 change only the account's status: the rest of the form is the registry's.
STATUS_ONLY_LOCKED = frozenset(FORM_FIELDS) - {"notes"}

DONE_MESSAGES = {
    "submit": "已提交。",
    "supervisor_approve": "已审核通过，待区政府办公室备案。",
    "approve": "已准予备案，登记信息已更新。",
    "return": "已退回，备案单位修改后可重新提交。",
}


def _may_start_filings(user) -> bool:
    return may(user, "filings.change")


# ---- list -----------------------------------------------------------------------------------


@login_required
def filing_list(request):
    today = timezone.localdate()
    scoped = Filing.objects.restrict(request.user)
    filings = FILING_FILTERS.apply(scoped, request.GET, user=request.user, today=today)
    filters = FILING_FILTERS.echo(request.GET)
    page = paginate(request, filings.select_related("org", "account", "platform"))
    shown = list(page.object_list)
    todo = set(
        scoped.filter(todo_q(request.user), pk__in=[f.pk for f in shown]).values_list(
            "pk", flat=True
        )
    )
    return render(
        request,
        "registry/filing_list.html",
        {
            "page": page,
            "rows": [
                (f, info, f.pk in todo)
                for f, info in zip(shown, selectors.deadline_infos(shown, today), strict=True)
            ],
            "filters": filters,
            "filtered": any(filters.values()),
            "counts": selectors.filing_counts(scoped, user=request.user, today=today),
            "todo_hint": _todo_hint(request.user),
            "states": FilingState.choices,
            "kinds": FilingKind.choices,
            "can_file": _may_start_filings(request.user),
            "can_designate": may(request.user, "filings.designate"),
            "breadcrumbs": filing_crumbs(),
        },
    )


def _todo_hint(user) -> str:
    if may(user, "filings.approve"):
        return "待区政府办公室备案的备案"
    parts = []
    if may(user, "filings.supervise") or is_designated(user):
        parts.append("待本单位作为主管单位审核的备案")
    if may(user, "filings.change"):
        parts.append("本单位的草稿与被退回的备案")
    return "、".join(parts)


# ---- starting and editing -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def filing_new(request):
    """办理备案: 开设 starts from a blank form; the others start from a registered account."""
    if not _may_start_filings(request.user):
        raise Http404
    if request.GET.get("kind") == FilingKind.OPEN:
        return _create_page(request, kind=FilingKind.OPEN, account=None)
    query = (request.GET.get("q") or "").strip()
    accounts = MediaAccount.objects.restrict(request.user, "change").active()
    if query:
        accounts = ACCOUNT_FILTERS.apply(accounts, {"q": query})
    page = paginate(request, accounts.select_related("platform", "host_org"))
    rows = [(a, selectors.kinds_for_account(a), selectors.open_filing(a)) for a in page.object_list]
    return render(
        request,
        "registry/filing_start.html",
        {
            "page": page,
            "rows": rows,
            "query": query,
            "basis": BASIS,
            "breadcrumbs": filing_crumbs(("办理备案", None)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_file(request, account_id: int):
    """A 变更/关停/注销 filing (or a 补办开设备案) of one registered account."""
    account = account_or_404(request.user, account_id)
    if not selectors.may_file_for(request.user, account.host_org):
        raise Http404("您无权为该政务新媒体办理备案")
    in_progress = selectors.open_filing(account)
    if in_progress is not None:
        messages.warning(request, "该账号已有未办结的备案，请继续办理那一份")
        return redirect("registry:filing_detail", filing_id=in_progress.pk)
    kind = request.GET.get("kind", "")
    if kind not in selectors.kinds_for_account(account):
        messages.error(request, f"“{account.get_status_display()}”的该账号不能办理此类备案")
        return redirect("registry:account_detail", account_id=account.pk)
    return _create_page(request, kind=kind, account=account)


def _create_page(request, *, kind: str, account: MediaAccount | None):
    today = timezone.localdate()
    intent = request.POST.get("intent")
    initial = {"event_date": today, "verified": "0"}
    if account is not None:
        initial = initial_from(account, event_date=today, org=account.host_org)
    form = FilingForm(
        request.POST or None,
        kind=kind,
        complete=intent == "submit",
        initial=initial,
        org_queryset=active_orgs_in_scope(request.user)
        if kind in (FilingKind.OPEN, FilingKind.CHANGE)
        else None,
        locked=STATUS_ONLY_LOCKED
        if kind in (FilingKind.SUSPEND, FilingKind.CANCEL)
        else frozenset(),
    )
    add_form_key(form)  # a double click on 保存草稿 makes one draft
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pk, repeated = create_once(
                actor=request.user,
                scope="filings.create",
                key=data.get(FORM_FIELD),
                create=lambda: services.filing_create(
                    actor=request.user,
                    kind=kind,
                    org=data.get("org") or account.host_org,
                    event_date=data["event_date"],
                    data=form.values(),
                    account=account,
                    change_summary=data.get("change_summary") or "",
                ),
            )
        except ServiceError as exc:
            _show_error(form, exc)
        else:
            filing = Filing.objects.get(pk=pk)
            if repeated:
                messages.info(request, "该表单已经保存过，未重复新建备案")
                return redirect("registry:filing_detail", filing_id=filing.pk)
            if intent == "submit":
                return _submit_saved(request, filing)
            messages.success(request, "草稿已保存。信息填写完整后请提交。")
            return redirect("registry:filing_detail", filing_id=filing.pk)
    title = f"{FilingKind(kind).label}备案" + (f"：{account.name}" if account else "")
    crumbs = (
        account_crumbs(
            (account.name, reverse("registry:account_detail", args=[account.pk])), (title, None)
        )
        if account
        else filing_crumbs((title, None))
    )
    return _form_page(
        request, form, title=title, kind=kind, account=account, filing=None, crumbs=crumbs
    )


def _edit_form(filing: Filing, data, *, complete: bool) -> FilingForm:
    initial = initial_from(
        filing,
        event_date=filing.event_date,
        change_summary=filing.change_summary,
        version=filing.version,
    )
    return FilingForm(
        data,
        kind=filing.kind,
        complete=complete,
        initial=initial,
        locked=STATUS_ONLY_LOCKED
        if filing.kind in (FilingKind.SUSPEND, FilingKind.CANCEL)
        else frozenset(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def filing_edit(request, filing_id: int):
    filing = filing_or_404(request.user, filing_id, "change")
    if not filing.is_editable:
        messages.error(request, f"备案已{filing.get_state_display()}，提交后不可修改")
        return redirect("registry:filing_detail", filing_id=filing.pk)
    intent = request.POST.get("intent")
    form = _edit_form(filing, request.POST or None, complete=intent == "submit")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            filing = services.filing_update(
                actor=request.user,
                filing_id=filing.pk,
                version=data.get("version") or 0,
                data=form.values(),
                event_date=data["event_date"],
                change_summary=data["change_summary"] if "change_summary" in form.fields else None,
            )
        except ServiceError as exc:
            _show_error(form, exc)
        else:
            if intent == "submit":
                return _submit_saved(request, filing)
            messages.success(request, "已保存。")
            return redirect("registry:filing_detail", filing_id=filing.pk)
    return _form_page(
        request,
        form,
        title=f"编辑{filing}",
        kind=filing.kind,
        account=filing.account,
        filing=filing,
        crumbs=filing_crumbs(
            (str(filing), reverse("registry:filing_detail", args=[filing.pk])), ("编辑", None)
        ),
    )


def _submit_saved(request, filing: Filing):
    """保存并提交: the form was saved; a refusal now leaves a draft and says why on the form."""
    try:
        services.filing_submit(actor=request.user, filing_id=filing.pk, version=filing.version)
    except ServiceError as exc:
        data = request.POST.copy()
        data["version"] = filing.version
        form = _edit_form(filing, data, complete=True)
        form.is_valid()
        _show_error(form, exc)
        messages.warning(request, "已保存为草稿，但未能提交，请按提示修改后再提交。")
        return _form_page(
            request,
            form,
            title=f"编辑{filing}",
            kind=filing.kind,
            account=filing.account,
            filing=filing,
            crumbs=filing_crumbs(
                (str(filing), reverse("registry:filing_detail", args=[filing.pk])), ("编辑", None)
            ),
        )
    messages.success(request, "已提交，等待审核。提交后备案内容不可修改。")
    return redirect("registry:filing_detail", filing_id=filing.pk)


def _show_error(form, exc: ServiceError) -> None:
    errors = getattr(exc, "errors", None)
    if not errors:
        add_service_error(form, exc)
        return
    for field, message in errors.items():
        target = field if field in form.fields else None
        if target is None or target not in form.errors:
            form.add_error(target, message)


def _form_page(request, form, *, title, kind, account, filing, crumbs):
    # A form with errors elsewhere still shows the deadline its (valid) date gives.
    if form.is_bound:
        form.is_valid()
        event_date = form.cleaned_data.get("event_date")
    else:
        event_date = form.initial.get("event_date")
    return render(
        request,
        "registry/filing_form.html",
        {
            "form": form,
            "title": title,
            "kind": kind,
            "kind_label": FilingKind(kind).label,
            "account": account,
            "filing": filing,
            "status_only": kind in (FilingKind.SUSPEND, FilingKind.CANCEL),
            "deadline": _deadline_or_none(kind, event_date),
            "form_action": reverse("registry:filing_edit", args=[filing.pk]) if filing else "",
            "cancel_url": reverse("registry:filing_detail", args=[filing.pk])
            if filing
            else reverse("registry:account_detail", args=[account.pk])
            if account
            else reverse("registry:filing_list"),
            "basis": BASIS,
            "breadcrumbs": crumbs,
        },
    )


def _deadline_or_none(kind, event_date):
    if event_date is None or event_date > timezone.localdate():
        return None
    try:
        return deadlines.filing_deadline(kind, event_date)
    except ServiceError:
        return None


@login_required
@require_GET
def deadline_preview(request):
    """The deadline line under the event date, refreshed as the date is picked (htmx)."""
    from datetime import date

    kind = request.GET.get("kind", "")
    try:
        event_date = date.fromisoformat(request.GET.get("event_date", ""))
    except ValueError:
        event_date = None
    deadline = _deadline_or_none(kind, event_date) if kind in FilingKind.values else None
    return render(
        request,
        "registry/_deadline.html",
        {
            "deadline": deadline,
            "kind": kind,
            "event_date": event_date,
            "future": event_date is not None and event_date > timezone.localdate(),
        },
    )


# ---- one filing -----------------------------------------------------------------------------


@login_required
def filing_detail(request, filing_id: int):
    filing = filing_or_404(request.user, filing_id)
    return _detail_page(request, filing)


def _detail_page(request, filing: Filing, *, return_form=None, approve_form=None, status=200):
    user, today = request.user, timezone.localdate()
    full_phones = sees_full_phones(user, filing.org)
    may_change = Filing.objects.restrict(user, "change").filter(pk=filing.pk).exists()
    actions = TRANSITIONS.offered(filing, user)
    step = next_step(filing)
    return render(
        request,
        "registry/filing_detail.html",
        {
            "filing": filing,
            "number": filing.filing_no or (filing.account.filing_no if filing.account else ""),
            "values": form_display(filing, full_phones=full_phones),
            "full_phones": full_phones,
            "diff": selectors.change_rows(filing, full_phones=full_phones),
            "history": selectors.filing_history(filing),
            "deadline": selectors.deadline_info(filing, today),
            "actions": [
                (a, TRANSITIONS[a].label) for a in actions if a not in ("return", "approve")
            ],
            "can_approve": "approve" in actions,
            "approve_form": approve_form or ApproveForm(),
            "can_return": "return" in actions,
            "return_form": return_form or ReturnForm(),
            "next_step": step,
            "next_people": people_text(step) if step else "",
            "step_is_mine": "supervisor_approve" in actions or "approve" in actions,
            "can_edit": may_change and filing.is_editable,
            "can_upload": may_change and may(user, "filings.change"),
            "scan_form": ScanForm(),
            "scan_name": filing.scanned_copy.name.rsplit("/", 1)[-1] if filing.scanned_copy else "",
            "supervisor": filing.supervisor or filing.org.supervisor,
            # A supervisor from outside sees the filing but not the unit's registry page.
            "account_visible": filing.account_id is not None
            and MediaAccount.objects.restrict(user).filter(pk=filing.account_id).exists(),
            "kinds": FilingKind.choices,
            "breadcrumbs": filing_crumbs((str(filing), None)),
        },
        status=status,
    )


@login_required
@require_POST
def filing_act(request, filing_id: int):
    filing = filing_or_404(request.user, filing_id)  # another township's filing: 404, nothing said
    action = request.POST.get("action", "")
    version = int_or_none(request.POST.get("version", ""))
    version = -1 if version is None else version
    return_form = ReturnForm(request.POST) if action == "return" else None
    if return_form is not None and not return_form.is_valid():
        messages.error(request, "请填写退回理由，告知备案单位需要修改什么")
        return _detail_page(request, filing, return_form=return_form, status=400)
    approve_form = ApproveForm(request.POST, request.FILES) if action == "approve" else None
    if approve_form is not None and not approve_form.is_valid():
        for errors in approve_form.errors.values():
            messages.error(request, errors[0])
        return _detail_page(request, filing, approve_form=approve_form, status=400)
    try:
        if approve_form is not None and approve_form.cleaned_data["scan"]:
            # The scan is kept with the filing even if the approval below is refused.
            services.filing_attach_scan(
                actor=request.user, filing_id=filing.pk, upload=approve_form.cleaned_data["scan"]
            )
        services.filing_act(
            actor=request.user,
            filing_id=filing.pk,
            action=action,
            version=version,
            reason=return_form.cleaned_data["reason"] if return_form else "",
            no_scan_reason=approve_form.cleaned_data["no_scan_reason"] if approve_form else "",
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        if return_form is not None or approve_form is not None:  # keep what was typed
            filing = filing_or_404(request.user, filing_id)
            if approve_form is not None and exc.field in approve_form.fields:
                approve_form.add_error(exc.field, exc.message)
            return _detail_page(
                request,
                filing,
                return_form=return_form,
                approve_form=approve_form,
                status=exc.status,
            )
    else:
        messages.success(request, DONE_MESSAGES[action])
    return redirect("registry:filing_detail", filing_id=filing.pk)
