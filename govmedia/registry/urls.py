from django.urls import path

from . import views_accounts, views_documents, views_filings, views_platforms

app_name = "registry"
urlpatterns = [
    path("", views_accounts.account_list, name="account_list"),
    path("platforms/", views_platforms.platform_list, name="platform_list"),
    path("platforms/<int:platform_id>/edit/", views_platforms.platform_edit, name="platform_edit"),
    path("accounts/<int:account_id>/", views_accounts.account_detail, name="account_detail"),
    path("accounts/<int:account_id>/file/", views_filings.account_file, name="account_file"),
    path("filings/", views_filings.filing_list, name="filing_list"),
    path("filings/new/", views_filings.filing_new, name="filing_new"),
    path("filings/deadline/", views_filings.deadline_preview, name="deadline_preview"),
    path("filings/<int:filing_id>/", views_filings.filing_detail, name="filing_detail"),
    path("filings/<int:filing_id>/edit/", views_filings.filing_edit, name="filing_edit"),
    path("filings/<int:filing_id>/act/", views_filings.filing_act, name="filing_act"),
    path("filings/<int:filing_id>/form.pdf", views_documents.filing_pdf, name="filing_pdf"),
    path("filings/<int:filing_id>/form.docx", views_documents.filing_docx, name="filing_docx"),
    path("filings/<int:filing_id>/scan/", views_documents.filing_scan, name="filing_scan"),
    path(
        "filings/<int:filing_id>/scan/upload/",
        views_documents.filing_scan_upload,
        name="filing_scan_upload",
    ),
]
