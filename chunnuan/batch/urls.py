from django.urls import path

from chunnuan.batch import views

app_name = "batch"
urlpatterns = [
    path("", views.run_list, name="run_list"),
    path("<int:pk>/", views.run_detail, name="run_detail"),
    path("<int:pk>/progress/", views.run_progress, name="run_progress"),
    path("<int:pk>/download/", views.run_download, name="run_download"),
    path("<int:pk>/restart/", views.run_restart_view, name="run_restart"),
    path("imports/new/", views.import_new, name="import_new"),
    path("imports/confirm/", views.import_confirm, name="import_confirm"),
]
