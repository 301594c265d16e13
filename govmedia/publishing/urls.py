from django.urls import path

from .views import articles, countersigns, documents, flows, grants, reviews, unapproved

app_name = "publishing"

urlpatterns = [
    path("", articles.article_list, name="articles"),
    path("new/", articles.article_new, name="article_new"),
    path("<int:article_id>/", articles.article_detail, name="article"),
    path("<int:article_id>/edit/", articles.article_edit, name="article_edit"),
    path("<int:article_id>/act/", articles.article_act, name="article_act"),
    path("<int:article_id>/publish/", articles.article_publish, name="article_publish"),
    path("<int:article_id>/manual/", articles.article_record_manual, name="article_manual"),
    path(
        "<int:article_id>/publications/<int:publication_id>/cancel/",
        articles.publication_cancel,
        name="publication_cancel",
    ),
    path("<int:article_id>/images/", articles.image_upload, name="image_upload"),
    path("<int:article_id>/countersigns/", countersigns.countersign_add, name="countersign_add"),
    path(
        "<int:article_id>/countersigns/<int:countersign_id>/remove/",
        countersigns.countersign_remove,
        name="countersign_remove",
    ),
    path(
        "<int:article_id>/countersigns/<int:countersign_id>/decide/",
        countersigns.countersign_decide,
        name="countersign_decide",
    ),
    path("<int:article_id>/sheet.pdf", documents.article_sheet_pdf, name="article_sheet_pdf"),
    path("<int:article_id>/sheet.docx", documents.article_sheet_docx, name="article_sheet_docx"),
    path("inbox/", reviews.inbox, name="inbox"),
    path("steps/<int:step_id>/", reviews.review, name="review"),
    path("steps/<int:step_id>/reassign/", reviews.reassign, name="reassign"),
    path("flows/", flows.flow_list, name="flows"),
    path("flows/new/", flows.flow_new, name="flow_new"),
    path("flows/<int:flow_id>/edit/", flows.flow_edit, name="flow_edit"),
    path("flows/<int:flow_id>/deactivate/", flows.flow_deactivate, name="flow_deactivate"),
    path("grants/", grants.grant_accounts, name="grants"),
    path("grants/accounts/<int:account_id>/", grants.account_grants, name="account_grants"),
    path("grants/<int:grant_id>/revoke/", grants.grant_revoke, name="grant_revoke"),
]

# 未经审核发布 (先审后发): views/unapproved.py
urlpatterns += [
    path("unapproved/", unapproved.unapproved_list, name="unapproved"),
    path("unapproved/<int:match_id>/", unapproved.unapproved_detail, name="unapproved_detail"),
    path(
        "unapproved/<int:match_id>/dismiss/",
        unapproved.unapproved_dismiss,
        name="unapproved_dismiss",
    ),
]
