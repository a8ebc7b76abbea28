from rest_framework.routers import DefaultRouter

from alerts.api import views

router = DefaultRouter()
router.register("alerts", views.AlertViewSet)
router.register("rules", views.AlertRuleViewSet)
router.register("shifts", views.DutyShiftViewSet)
router.register("roster", views.DutyAssignmentViewSet)
router.register("channels", views.ChannelViewSet)
router.register("contacts", views.AlertContactViewSet)

urlpatterns = router.urls
