from django.urls import path

from .views import checks, rankings, rubrics

app_name = "assessment"

urlpatterns = [
    path("", checks.check_list, name="checks"),
    path("new/", checks.check_new, name="check_new"),
    path("<int:check_id>/", checks.check_detail, name="check"),
    path("<int:check_id>/step/", checks.check_step, name="check_step"),
    path(
        "<int:check_id>/bulletin.docx", checks.bulletin_file, {"kind": "docx"}, name="bulletin_docx"
    ),
    path("<int:check_id>/bulletin.pdf", checks.bulletin_file, {"kind": "pdf"}, name="bulletin_pdf"),
    path("sheets/<int:sheet_id>/", checks.sheet_detail, name="sheet"),
    path("sheets/<int:sheet_id>/act/", checks.sheet_action, name="sheet_action"),
    path("sheets/<int:sheet_id>/screenshots/", checks.screenshot_upload, name="screenshot_upload"),
    path(
        "sheets/<int:sheet_id>/screenshots/<int:screenshot_id>/",
        checks.screenshot_file,
        name="screenshot",
    ),
    path(
        "sheets/<int:sheet_id>/screenshots/<int:screenshot_id>/remove/",
        checks.screenshot_remove,
        name="screenshot_remove",
    ),
    path("rubrics/", rubrics.rubric_list, name="rubrics"),
    path("rubrics/import/", rubrics.rubric_import, name="rubric_import"),
    path("rubrics/<int:rubric_id>/", rubrics.rubric_detail, name="rubric"),
    path("rubrics/<int:rubric_id>/items/new/", rubrics.indicator_form, name="indicator_new"),
    path(
        "rubrics/<int:rubric_id>/items/<int:indicator_id>/",
        rubrics.indicator_form,
        name="indicator_edit",
    ),
    path(
        "rubrics/<int:rubric_id>/items/<int:indicator_id>/act/",
        rubrics.indicator_action,
        name="indicator_action",
    ),
    path(
        "rubrics/<int:rubric_id>/new-version/",
        rubrics.rubric_new_version,
        name="rubric_new_version",
    ),
    path("rubrics/<int:rubric_id>/export.xlsx", rubrics.rubric_export, name="rubric_export"),
    path("rankings/", rankings.rankings, name="rankings"),
    path("accounts/<int:account_id>/", rankings.account, name="account"),
    path("annual/", rankings.annual_page, name="annual"),
    path("annual/weights/", rankings.annual_weights, name="annual_weights"),
    path("annual/export.xlsx", rankings.annual_export, name="annual_export"),
]
