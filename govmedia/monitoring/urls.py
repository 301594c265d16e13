from django.urls import path

from . import views_dormant, views_posts, views_rectification

app_name = "monitoring"
urlpatterns = [
    path("", views_dormant.dormant, name="dormant"),
    path("export.xlsx", views_dormant.export, name="export"),
    path("accounts/<int:account_id>/", views_dormant.account, name="account"),
    path("accounts/<int:account_id>/pull/", views_dormant.pull_now, name="pull_now"),
    path("posts/", views_posts.post_list, name="posts"),
    path("posts/<int:post_id>/", views_posts.post_detail, name="post"),
    path("runs/", views_posts.run_list, name="runs"),
    path("rectifications/", views_rectification.item_list, name="rectifications"),
    path("rectifications/<int:item_id>/", views_rectification.item_detail, name="rectification"),
    path(
        "rectifications/<int:item_id>/act/",
        views_rectification.item_act,
        name="rectification_act",
    ),
    path(
        "rectifications/<int:item_id>/screenshot/",
        views_rectification.item_screenshot,
        name="rectification_screenshot",
    ),
]
