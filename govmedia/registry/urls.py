from django.urls import path

from .views import accounts, co_signers, documents, excel, filings, platforms, stats

app_name = "registry"
urlpatterns = [
    path("", accounts.account_list, name="account_list"),
    path("accounts/<int:account_id>/", accounts.account_detail, name="account_detail"),
    path(
        "accounts/<int:account_id>/government-site/",
        accounts.account_government_site,
        name="account_government_site",
    ),
    path("accounts/<int:account_id>/file/", filings.account_file, name="account_file"),
    path("platforms/", platforms.platform_list, name="platform_list"),
    path("platforms/<int:platform_id>/edit/", platforms.platform_edit, name="platform_edit"),
    path("filings/", filings.filing_list, name="filing_list"),
    path("filings/new/", filings.filing_new, name="filing_new"),
    path("filings/co-signers/", co_signers.co_signer_list, name="co_signers"),
    path("filings/deadline/", filings.deadline_preview, name="deadline_preview"),
    path("filings/<int:filing_id>/", filings.filing_detail, name="filing_detail"),
    path("filings/<int:filing_id>/edit/", filings.filing_edit, name="filing_edit"),
    path("filings/<int:filing_id>/act/", filings.filing_act, name="filing_act"),
    path("filings/<int:filing_id>/form.pdf", documents.filing_pdf, name="filing_pdf"),
    path("filings/<int:filing_id>/form.docx", documents.filing_docx, name="filing_docx"),
    path("filings/<int:filing_id>/scan/", documents.filing_scan, name="filing_scan"),
    path(
        "filings/<int:filing_id>/scan/upload/",
        documents.filing_scan_upload,
        name="filing_scan_upload",
    ),
    path("excel/import/", excel.import_page, name="excel_import"),
    path("excel/template.xlsx", excel.template_download, name="excel_template"),
    path("excel/accounts.xlsx", excel.export_accounts, name="export_accounts"),
    path("excel/filings.xlsx", excel.export_filings, name="export_filings"),
    path("stats/", stats.index, name="stats"),
]
