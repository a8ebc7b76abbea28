from django.urls import path
from rest_framework.routers import DefaultRouter

from rollcalls.api import views


class Router(DefaultRouter):
    # Its own root name, so /api/'s "api-root" keeps pointing at the inventory root.
    root_view_name = "rollcalls-api-root"


router = Router()
router.register("schedules", views.RollCallScheduleViewSet, basename="rollcalls-schedule")
router.register("calls", views.ScheduledCallViewSet, basename="rollcalls-call")

urlpatterns = [
    path("compliance/", views.ComplianceView.as_view(), name="rollcalls-compliance"),
    *router.urls,
]
