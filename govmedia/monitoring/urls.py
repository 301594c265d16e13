from django.urls import path

from .views import dormant, posts, rectification

app_name = "monitoring"
urlpatterns = [
    path("", dormant.dormant, name="dormant"),
    path("export.xlsx", dormant.export, name="export"),
    path("accounts/<int:account_id>/", dormant.account, name="account"),
    path("accounts/<int:account_id>/pull/", dormant.pull_now, name="pull_now"),
    path("accounts/<int:account_id>/pull/status/", dormant.pull_status, name="pull_status"),
    path("posts/", posts.post_list, name="posts"),
    path("posts/<int:post_id>/", posts.post_detail, name="post"),
    path("runs/", posts.run_list, name="runs"),
    path("rectifications/", rectification.item_list, name="rectifications"),
    path("rectifications/<int:item_id>/", rectification.item_detail, name="rectification"),
    path(
        "rectifications/<int:item_id>/act/",
        rectification.item_act,
        name="rectification_act",
    ),
    path(
        "rectifications/<int:item_id>/screenshot/",
        rectification.item_screenshot,
        name="rectification_screenshot",
    ),
]
