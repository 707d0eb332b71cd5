from django.urls import path, re_path

from chunnuan.regions import views

app_name = "regions"
urlpatterns = [
    path("", views.region_list, name="region_list"),
    path("picker/", views.region_picker, name="region_picker"),
    re_path(r"^(?P<code>[0-9]{12})/$", views.region_detail, name="region_detail"),
    re_path(r"^(?P<code>[0-9]{12})/add-unit/$", views.region_add_unit, name="region_add_unit"),
    re_path(r"^(?P<code>[0-9]{12})/retire/$", views.region_retire, name="region_retire"),
]
