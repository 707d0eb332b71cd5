from django.urls import path

from chunnuan.dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.home, name="home"),
    path("dashboards/campaigns/", views.campaign_index, name="campaign_index"),
    path("dashboards/campaigns/<str:code>/", views.campaign_dashboard, name="campaign_dashboard"),
]
