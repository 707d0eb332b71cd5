from django.urls import path

from chunnuan.employers import views

app_name = "employers"
urlpatterns = [
    path("", views.employer_list, name="employer_list"),
    path("<int:pk>/", views.employer_detail, name="employer_detail"),
]
