"""Pages of the Excel import (with its template) and the registry and filings exports."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from govmedia.core import navigation
from govmedia.core.errors import ServiceError
from govmedia.core.exports import export_response
from govmedia.core.forms import Form, add_service_error
from govmedia.core.scope import may
from govmedia.core.spreadsheets import (
    MAX_UPLOAD_BYTES,
    ImportRejected,
    xlsx_download,
    xlsx_response,
)

from ..excel import exporter
from ..excel.importer import import_workbook
from ..excel.template import build_template
from ..filters import FILING_FILTERS
from ..models import Filing

ERRORS_SHOWN = 200


class ImportForm(Form):
    file = forms.FileField(
        label="Excel 文件（.xlsx）",
        help_text=f"请使用导入模板填写；不超过 {MAX_UPLOAD_BYTES // 1024 // 1024} MB。",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        error_messages={
            "required": "请选择要导入的 Excel 文件",
            "empty": "文件为空，请选择填写好的导入模板",
        },
    )


def nav_url(key: str) -> str:
    """The page a navigation item leads to (its planned-page placeholder until it is built)."""
    item = navigation.find(key)
    if item is not None and item.url_name:
        return reverse(item.url_name)
    return reverse("core:planned", args=[key])


def _may_import(user) -> bool:
    return may(user, "registry.change")


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request):
    if not _may_import(request.user):
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    rejected = None
    if request.method == "POST" and form.is_valid():
        try:
            result = import_workbook(actor=request.user, upload=form.cleaned_data["file"])
        except ImportRejected as exc:
            rejected = exc
        except ServiceError as exc:
            add_service_error(form, exc)
        else:
            messages.success(
                request,
                f"已导入 {result.created} 个政务新媒体（已登记、未备案），请逐个办理开设备案以取得备案号",
            )
            return redirect("registry:excel_import")
    return render(
        request,
        "registry/excel/import.html",
        {
            "form": form,
            "rejected": rejected,
            "errors_shown": rejected.errors[:ERRORS_SHOWN] if rejected else [],
            "errors_hidden": max(0, len(rejected.errors) - ERRORS_SHOWN) if rejected else 0,
            "rows_with_errors": len({e.row for e in rejected.errors}) if rejected else 0,
            "breadcrumbs": [("政务新媒体", nav_url("registry")), ("批量导入", None)],
        },
    )


@login_required
@require_GET
def template_download(request):
    if not _may_import(request.user):
        raise Http404
    return xlsx_download(build_template(request.user), "政务新媒体导入模板.xlsx")


@login_required
@require_GET
def export_accounts(request):
    if not may(request.user, "registry.view"):
        raise Http404
    # The list page's filters (its query string), so the export holds what the list shows;
    # immediate when small, a background job with a progress page otherwise (core.exports).
    return export_response(request, "accounts")


@login_required
@require_GET
def export_filings(request):
    if not may(request.user, "filings.view"):
        raise Http404
    filings = FILING_FILTERS.apply(
        Filing.objects.restrict(request.user),
        request.GET,
        user=request.user,
        today=timezone.localdate(),
    )
    rows = exporter.filing_rows(request.user, filings)
    return xlsx_response("备案台账", "备案", exporter.FILING_HEADERS, rows)
