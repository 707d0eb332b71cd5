from django.urls import path

from chunnuan.workers import views

app_name = "workers"
urlpatterns = [
    path("", views.worker_list, name="worker_list"),
    path("me/", views.my_record, name="my_record"),
    path("<int:pk>/", views.worker_detail, name="worker_detail"),
    path("<int:pk>/reveal/<str:field>/", views.worker_reveal, name="worker_reveal"),
]
