from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from govmedia.audit.selectors import history as audit_history
from govmedia.core.errors import ServiceError
from govmedia.core.forms import add_service_error
from govmedia.core.pagination import paginate
from govmedia.core.scope import get_scoped, may, sees_whole_district
from govmedia.core.spreadsheets import ImportRejected

from . import selectors, services
from .forms import BASIS, CheckForm, ImportForm, LexiconTermForm, VersionForm
from .highlight import grouped_by_category, highlighted_html
from .lexicon_import import lexicon_import
from .lexicon_xlsx import export_response
from .models import CATEGORY_CHOICES, SEVERITY_CHOICES, LexiconTerm
from .screen import screen_text
from .uploads import text_from_upload

LISTED_PER_CATEGORY = 200
EMPTY_TEXT = "请输入或上传文本"


def _crumbs(*extra):
    return [("内容审查", reverse("screening:check")), *extra]


def _lexicon_crumbs(*extra):
    return _crumbs(("审查词库", reverse("screening:lexicon")), *extra)


@login_required
@require_http_methods(["GET", "POST"])
def check(request):
    if not may(request.user, "screening.check"):
        raise Http404
    form = CheckForm(request.POST or None, request.FILES or None)
    text, result, source = "", None, ""
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        upload = form.cleaned_data["upload"]
        try:
            if upload is not None:
                text, source = text_from_upload(upload), upload.name
            if not text.strip():
                form.add_error("text", EMPTY_TEXT)
            else:
                result = screen_text(
                    text=text, org=request.user.org, html=form.cleaned_data["html"]
                )
        except ServiceError as exc:
            add_service_error(form, exc)
    elif request.method == "POST":
        text = request.POST.get("text", "")
    context = {
        "form": form,
        "text": text,
        "source": source,
        "result": result,
        "basis": BASIS,
        "breadcrumbs": _crumbs(),
    }
    if result is not None:
        context |= {
            "highlighted": highlighted_html(text, result.findings),
            "groups": grouped_by_category(result.findings, LISTED_PER_CATEGORY),
            "listed_per_category": LISTED_PER_CATEGORY,
            "as_html": form.cleaned_data["html"],
        }
    return render(request, "screening/check.html", context)


def _term_or_404(user, term_id, action="view") -> LexiconTerm:
    return get_scoped(LexiconTerm.objects.select_related("owner_org"), user, term_id, action)


def _manageable_ids(user, terms) -> set[int]:
    ids = [term.pk for term in terms]
    return set(
        LexiconTerm.objects.restrict(user, "manage").filter(pk__in=ids).values_list("pk", flat=True)
    )


FILTERS = ("q", "category", "severity", "owner", "active")


@login_required
def lexicon_list(request):
    if not may(request.user, "screening.check"):
        raise Http404
    filters = {name: request.GET.get(name, "") for name in FILTERS}
    page = paginate(request, selectors.filtered_terms(request.user, **filters))
    return render(
        request,
        "screening/lexicon_list.html",
        {
            "page": page,
            "filters": filters,
            "manageable": _manageable_ids(request.user, page.object_list),
            "can_manage": may(request.user, "screening.manage"),
            "district_manager": sees_whole_district(request.user),
            "categories": CATEGORY_CHOICES,
            "severities": SEVERITY_CHOICES,
            "owners": selectors.owner_choices(request.user),
            "export_query": request.GET.urlencode(),
            "breadcrumbs": _lexicon_crumbs(),
        },
    )


@login_required
def lexicon_detail(request, term_id: int):
    term = _term_or_404(request.user, term_id)
    history = audit_history(term, limit=50)
    return render(
        request,
        "screening/lexicon_detail.html",
        {
            "term": term,
            "history": history,
            "can_manage": LexiconTerm.objects.restrict(request.user, "manage")
            .filter(pk=term.pk)
            .exists(),
            "version_form": VersionForm(initial={"version": term.version}),
            "breadcrumbs": _lexicon_crumbs((term.term, None)),
        },
    )


def _require_manager(user) -> None:
    try:
        services.require_manager(user)
    except ServiceError:
        raise Http404 from None


@login_required
@require_http_methods(["GET", "POST"])
def lexicon_create(request):
    _require_manager(request.user)
    form = LexiconTermForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            term = services.lexicon_term_create(
                actor=request.user,
                **{name: data.get(name, "") for name in services.EDITABLE_FIELDS},
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"已添加词条“{term.term}”，立即生效")
            return redirect("screening:lexicon_detail", term_id=term.pk)
    return render(
        request,
        "screening/lexicon_form.html",
        {
            "form": form,
            "title": "添加词条",
            "owner_label": "全区通用词库"
            if sees_whole_district(request.user)
            else f"{request.user.org.name}（本单位词条，与全区词库同时生效）",
            "basis": BASIS,
            "breadcrumbs": _lexicon_crumbs(("添加词条", None)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def lexicon_edit(request, term_id: int):
    term = _term_or_404(request.user, term_id, "manage")
    initial = {name: getattr(term, name) for name in services.EDITABLE_FIELDS}
    form = LexiconTermForm(
        request.POST or None, user=request.user, initial=initial | {"version": term.version}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {name: data[name] for name in services.EDITABLE_FIELDS if name in data}
        try:
            services.lexicon_term_update(
                actor=request.user, term_id=term.pk, version=data["version"] or 0, **changes
            )
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(request, f"已保存词条“{changes['term'].strip()}”，立即生效")
            return redirect("screening:lexicon_detail", term_id=term.pk)
    return render(
        request,
        "screening/lexicon_form.html",
        {
            "form": form,
            "title": f"编辑词条：{term.term}",
            "term": term,
            "owner_label": term.owner_label,
            "basis": BASIS,
            "breadcrumbs": _lexicon_crumbs(
                (term.term, reverse("screening:lexicon_detail", args=[term.pk])), ("编辑", None)
            ),
        },
    )


def _set_active(request, term_id: int, *, active: bool):
    term = _term_or_404(request.user, term_id, "manage")
    form = VersionForm(request.POST)
    service = services.lexicon_term_enable if active else services.lexicon_term_disable
    if not form.is_valid():
        messages.error(request, "请求无效，请刷新页面后重试")
    else:
        try:
            service(actor=request.user, term_id=term.pk, version=form.cleaned_data["version"])
        except ServiceError as exc:
            messages.error(request, exc.message)
        else:
            done = "启用" if active else "停用"
            messages.success(request, f"已{done}词条“{term.term}”，立即生效")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("screening:lexicon_detail", args=[term.pk])
    return redirect(back)


@login_required
@require_POST
def lexicon_disable(request, term_id: int):
    return _set_active(request, term_id, active=False)


@login_required
@require_POST
def lexicon_enable(request, term_id: int):
    return _set_active(request, term_id, active=True)


@login_required
@require_http_methods(["GET", "POST"])
def lexicon_import_view(request):
    _require_manager(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            summary = lexicon_import(actor=request.user, file=form.cleaned_data["file"])
        except ImportRejected as exc:
            errors = exc.errors
            form.add_error(None, exc.message)
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                f"导入完成：新增 {summary.created} 条，更新 {summary.updated} 条，"
                f"未变 {summary.unchanged} 条，立即生效",
            )
            return redirect("screening:lexicon")
    return render(
        request,
        "screening/lexicon_import.html",
        {
            "form": form,
            "errors": errors,
            "owner_label": "全区通用词库"
            if sees_whole_district(request.user)
            else f"{request.user.org.name}的本单位词条",
            "breadcrumbs": _lexicon_crumbs(("导入", None)),
        },
    )


@login_required
def lexicon_export(request):
    if not may(request.user, "screening.check"):
        raise Http404
    filters = {name: request.GET.get(name, "") for name in FILTERS}
    terms = selectors.filtered_terms(request.user, **filters)
    return export_response(terms.iterator(chunk_size=1000))
