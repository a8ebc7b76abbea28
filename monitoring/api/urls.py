from django.urls import path
from rest_framework.routers import DefaultRouter

from monitoring.api import views
from monitoring.metrics.api import AssetInterfacesView, AssetMetricsView, MetricProfileViewSet


class Router(DefaultRouter):
    # Its own root name, so /api/'s "api-root" keeps pointing at the inventory root.
    root_view_name = "monitoring-api-root"


router = Router()
router.register("status", views.AssetStateViewSet, basename="monitoring-status")
router.register("outages", views.OutageViewSet, basename="monitoring-outage")
router.register("samples", views.SampleViewSet, basename="monitoring-sample")
router.register("rollups", views.HourlyRollupViewSet, basename="monitoring-rollup")
router.register("events", views.EventViewSet, basename="monitoring-event")
router.register("probe-configs", views.ProbeConfigViewSet, basename="monitoring-probe-config")
router.register("kind-policies", views.KindPolicyViewSet, basename="monitoring-kind-policy")
router.register("metric-profiles", MetricProfileViewSet, basename="monitoring-metric-profile")
router.register("maintenance-windows", views.MaintenanceWindowViewSet, basename="monitoring-maintenance-window")
router.register("radio-checks", views.RadioCheckViewSet, basename="monitoring-radio-check")

urlpatterns = [
    path("availability/", views.AvailabilityView.as_view(), name="monitoring-availability"),
    path("metrics/<int:asset_id>/", AssetMetricsView.as_view(), name="monitoring-asset-metrics"),
    path("metrics/<int:asset_id>/interfaces/", AssetInterfacesView.as_view(), name="monitoring-asset-interfaces"),
    *router.urls,
]
