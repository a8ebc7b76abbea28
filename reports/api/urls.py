from rest_framework.routers import SimpleRouter

from reports.api import views

router = SimpleRouter()
router.register("monthly", views.MonthlyReportViewSet, basename="monthly-report")

urlpatterns = router.urls
