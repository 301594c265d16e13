"""The filing's papers: the printable form (PDF, DOCX, three copies) and the signed scan.

The scan is never served from a public MEDIA URL: it streams from here after the same scope
check as the filing page.
"""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from govmedia.core.errors import ServiceError

from .. import printing, scans, services
from ..documents import CjkFontNotFound, render_filing_docx, render_filing_pdf
from ..forms import ScanForm
from ..masking import sees_full_phones
from .shared import filing_or_404

COPIES = 3  # 备注 3: 一式三份，单位留存一份，报区政府办公室备案两份
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _form_data(request, filing_id: int):
    filing = filing_or_404(request.user, filing_id)
    full_phones = sees_full_phones(request.user, filing.org)
    data = printing.filing_form_data(filing, full_phones=full_phones)
    return filing, data


@login_required
@require_GET
def filing_pdf(request, filing_id: int):
    filing, data = _form_data(request, filing_id)
    try:
        content = render_filing_pdf(data, copies=COPIES)
    except CjkFontNotFound:
        return HttpResponse(
            "服务器缺少中文字体，无法生成 PDF，请联系平台管理员安装 Noto CJK 字体",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    return _attachment(content, "application/pdf", printing.download_name(filing, "pdf"))


@login_required
@require_GET
def filing_docx(request, filing_id: int):
    filing, data = _form_data(request, filing_id)
    content = render_filing_docx(data, copies=COPIES)
    return _attachment(content, DOCX_TYPE, printing.download_name(filing, "docx"))


@login_required
@require_GET
def filing_scan(request, filing_id: int):
    filing = filing_or_404(request.user, filing_id)
    if not filing.scanned_copy:
        raise Http404("尚未上传签章扫描件")
    extension = filing.scanned_copy.name.rsplit(".", 1)[-1].lower()
    if extension not in scans.CONTENT_TYPES:
        raise Http404("签章扫描件格式无效")
    try:
        handle = filing.scanned_copy.open("rb")
    except FileNotFoundError:
        raise Http404("签章扫描件文件缺失，请重新上传") from None
    return FileResponse(
        handle,
        as_attachment=True,
        content_type=scans.CONTENT_TYPES[extension],
        filename=f"签章扫描件-{printing.download_name(filing, extension)}",
    )


@login_required
@require_POST
def filing_scan_upload(request, filing_id: int):
    filing = filing_or_404(request.user, filing_id, "change")
    form = ScanForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("registry:filing_detail", filing_id=filing.pk)
    try:
        services.filing_attach_scan(
            actor=request.user, filing_id=filing.pk, upload=form.cleaned_data["scan"]
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "签章扫描件已上传，随备案保存。")
    return redirect("registry:filing_detail", filing_id=filing.pk)
