from django.urls import path

from chunnuan.reporting import export_urls, views

app_name = "reporting"
urlpatterns = [
    path("", views.home, name="home"),
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/targets/", views.target_set, name="target_set"),
    path("campaigns/<int:pk>/targets/<int:target_id>/delete/", views.target_delete, name="target_delete"),
    path("fill/", views.submission_open, name="submission_open"),
    path("submissions/", views.submission_list, name="submission_list"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission_detail"),
    path("submissions/<int:pk>/approve/", views.submission_approve, name="submission_approve"),
    path("submissions/<int:pk>/return/", views.submission_return, name="submission_return"),
    path("submissions/<int:pk>/unlock/", views.submission_unlock, name="submission_unlock"),
    path("status/", views.status_board, name="status_board"),
]
urlpatterns += export_urls.urlpatterns
