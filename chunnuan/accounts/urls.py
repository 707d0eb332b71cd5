from django.urls import path

from chunnuan.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.PasswordLoginView.as_view(), name="login"),
    path("phone/", views.phone_login, name="phone_login"),
    path("phone/verify/", views.phone_verify, name="phone_verify"),
    path("logout/", views.logout_view, name="logout"),
    path("users/", views.user_list, name="user_list"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:pk>/", views.user_edit, name="user_edit"),
    path("users/<int:pk>/unlock/", views.user_unlock, name="user_unlock"),
    path("users/<int:pk>/tokens/", views.token_issue, name="token_issue"),
    path("users/<int:pk>/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
]
