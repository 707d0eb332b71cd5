from django.urls import path

from chunnuan.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.message_list, name="message_list"),
    path("<int:pk>/retry/", views.message_retry, name="message_retry"),
]
