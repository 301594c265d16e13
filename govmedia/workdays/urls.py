from django.urls import path

from . import views

app_name = "workdays"
urlpatterns = [
    path("", views.year_view, name="year"),
    path("days/new/", views.day_create, name="day_create"),
    # An override is identified by its date (one per day), e.g. days/2027-01-04/.
    path("days/<str:day>/", views.day_edit, name="day_edit"),
    path("days/<str:day>/delete/", views.day_delete, name="day_delete"),
    path("<int:year>/publish/", views.year_publish, name="year_publish"),
    path("<int:year>/unpublish/", views.year_unpublish, name="year_unpublish"),
]
