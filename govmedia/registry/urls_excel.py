from django.urls import path

from . import views_excel

app_name = "registry_excel"
urlpatterns = [
    path("import/", views_excel.import_page, name="import"),
    path("template.xlsx", views_excel.template_download, name="template"),
    path("accounts.xlsx", views_excel.export_accounts, name="export_accounts"),
    path("filings.xlsx", views_excel.export_filings, name="export_filings"),
]
