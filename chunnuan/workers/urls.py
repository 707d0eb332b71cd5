from django.urls import path

from chunnuan.workers import views

app_name = "workers"
urlpatterns = [
    path("", views.worker_list, name="worker_list"),
    path("new/", views.worker_create, name="worker_create"),
    path("dynamic/", views.ledger_dynamic, name="ledger_dynamic"),
    path("import-template/", views.import_template_download, name="import_template"),
    path("me/", views.my_record, name="my_record"),
    path("me/edit/", views.my_record_edit, name="my_record_edit"),
    path("<int:pk>/", views.worker_detail, name="worker_detail"),
    path("<int:pk>/edit/", views.worker_edit, name="worker_edit"),
    path("<int:pk>/events/", views.worker_event_add, name="worker_event_add"),
    path("<int:pk>/reveal/<str:field>/", views.worker_reveal, name="worker_reveal"),
]
