from rest_framework.routers import SimpleRouter

from reports.api import views

router = SimpleRouter()
router.register("monthly", views.MonthlyReportViewSet, basename="monthly-report")
router.register("dashboard", views.DashboardViewSet, basename="dashboard")

urlpatterns = router.urls
