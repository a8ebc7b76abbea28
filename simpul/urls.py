from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from accounts.api import ThrottledObtainAuthToken
from accounts.language import set_language
from monitoring.views import radio_check_new
from simpul.api import APIRootView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/setlang/", set_language, name="set_language"),  # Django's switch, remembered on the profile
    path("api/auth/token/", ThrottledObtainAuthToken.as_view(), name="api-token"),
    path("api/auth/", include("rest_framework.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file: the Content-Security-Policy allows no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="api-redoc"),
    path("api/", APIRootView.as_view(), name="api-root"),
    path("api/monitoring/", include("monitoring.api.urls")),
    path("api/pollers/", include("monitoring.remote.urls")),
    path("api/", include("assets.api.urls")),
    path("api/maintenance/", include("maintenance.api.urls")),
    path("api/alerts/", include("alerts.api.urls")),
    path("api/rollcalls/", include("rollcalls.api.urls")),
    path("api/reports/", include("reports.api.urls")),
    path("maintenance/", include("maintenance.urls")),
    path("alerts/", include("alerts.urls")),
    path("rollcalls/", include("rollcalls.urls")),
    path("pollers/", include("monitoring.urls")),
    path("metrics/assets/", include("monitoring.metrics.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("reports.urls")),
    path("", include("assets.urls")),
    path("radio-checks/new/", radio_check_new, name="radio-check-new"),
]

handler400 = "simpul.errors.bad_request"
handler403 = "simpul.errors.permission_denied"
handler404 = "simpul.errors.page_not_found"
handler500 = "simpul.errors.server_error"
