from django.urls import path
from rest_framework.routers import SimpleRouter

from reports.api import views
from reports.api.link_report import LinkReportView

router = SimpleRouter()
router.register("monthly", views.MonthlyReportViewSet, basename="monthly-report")
router.register("province-map", views.ProvinceMapViewSet, basename="province-map")

urlpatterns = [
    path("dashboard/", views.DashboardView.as_view(), name="dashboard-list"),
    path("dashboard/<str:code>/", views.AgencyDashboardView.as_view(), name="dashboard-detail"),
    path("links/", LinkReportView.as_view(), name="link-report-list"),
    path("province-map/", views.ProvinceMapView.as_view(), name="province-map-list"),
    *router.urls,
]
