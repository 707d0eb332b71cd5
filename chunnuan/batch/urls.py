from django.urls import path

app_name = "batch"
urlpatterns: list = []
