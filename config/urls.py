from django.contrib import admin
from django.urls import include, path

from chunnuan.core import views as core_views
from config.api import api

handler400 = "chunnuan.core.views.bad_request"
handler403 = "chunnuan.core.views.permission_denied"
handler404 = "chunnuan.core.views.page_not_found"
handler500 = "chunnuan.core.views.server_error"

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("chunnuan.accounts.urls")),
    path("regions/", include("chunnuan.regions.urls")),
    path("workers/", include("chunnuan.workers.urls")),
    path("employers/", include("chunnuan.employers.urls")),
    path("reports/", include("chunnuan.reporting.urls")),
    path("audit/", include("chunnuan.audit.urls")),
    path("notifications/", include("chunnuan.notifications.urls")),
    path("runs/", include("chunnuan.batch.urls")),
    path("", include("chunnuan.dashboards.urls")),
]
