from django.urls import path
from rest_framework.routers import DefaultRouter

from maintenance.api import views

router = DefaultRouter()
router.register("work-orders", views.WorkOrderViewSet)
router.register("plans", views.PreventivePlanViewSet)
router.register("webhooks", views.WebhookEndpointViewSet)
router.register("calendar-feeds", views.CalendarFeedViewSet)

urlpatterns = [path("metrics/", views.MetricsView.as_view(), name="maintenance-metrics"), *router.urls]
