from django.urls import path

from chunnuan.employers import views

app_name = "employers"
urlpatterns = [
    path("", views.employer_list, name="employer_list"),
    path("new/", views.employer_create, name="employer_create"),
    path("stats/", views.region_stats, name="region_stats"),
    path("<int:pk>/", views.employer_detail, name="employer_detail"),
    path("<int:pk>/edit/", views.employer_edit, name="employer_edit"),
    path("<int:pk>/size/", views.employer_size, name="employer_size"),
    path("<int:pk>/roster/", views.roster_list, name="roster_list"),
    path("<int:pk>/roster/add/", views.employment_add, name="employment_add"),
    path("roster/<int:pk>/", views.employment_detail, name="employment_detail"),
    path("roster/<int:pk>/edit/", views.employment_edit, name="employment_edit"),
    path("roster/<int:pk>/leave/", views.employment_leave, name="employment_leave"),
    path("roster/<int:pk>/contract/", views.contract_sign, name="contract_sign"),
    path("contracts/<int:pk>/renew/", views.contract_renew, name="contract_renew"),
    path("contracts/<int:pk>/change/", views.contract_change, name="contract_change"),
    path("contracts/<int:pk>/dissolve/", views.contract_dissolve, name="contract_dissolve"),
    path("contracts/<int:pk>/terminate/", views.contract_terminate, name="contract_terminate"),
]
