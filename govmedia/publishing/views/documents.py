"""An article's 信息发布审核单 (审签单): PDF and DOCX, one page, after the article page's scope
check (an article out of the user's scope is a 404)."""

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_GET

from govmedia.registry.documents import CjkFontNotFound

from .. import printing
from ..documents import render_review_sheet_docx, render_review_sheet_pdf
from .shared import article_or_404

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@login_required
@require_GET
def article_sheet_pdf(request, article_id: int):
    article = article_or_404(request.user, article_id)
    data = printing.review_sheet_data(article)
    try:
        content = render_review_sheet_pdf(data)
    except CjkFontNotFound:
        return HttpResponse(
            "服务器缺少中文字体，无法生成 PDF，请联系平台管理员安装 Noto CJK 字体",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    return _attachment(content, "application/pdf", printing.download_name(article, "pdf"))


@login_required
@require_GET
def article_sheet_docx(request, article_id: int):
    article = article_or_404(request.user, article_id)
    content = render_review_sheet_docx(printing.review_sheet_data(article))
    return _attachment(content, DOCX_TYPE, printing.download_name(article, "docx"))
