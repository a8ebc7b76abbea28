from django.urls import path
from rest_framework.routers import DefaultRouter

from assets.api import stock, stocktakes, views

router = DefaultRouter()
router.include_root_view = False  # /api/ lists every app's routes (simpul.api.APIRootView)
router.register("agencies", views.AgencyViewSet)
router.register("partners", views.PartnerViewSet)
router.register("sites", views.SiteViewSet)
router.register("assets", views.AssetViewSet)
router.register("standards", views.StandardItemViewSet)
router.register("licences", views.RadioLicenceViewSet)
router.register("stock/items", stock.StockItemViewSet)
router.register("stock/movements", stock.StockMovementViewSet)
router.register("stocktakes", stocktakes.StocktakeViewSet)

urlpatterns = [
    path("gaps/", views.GapView.as_view(), name="gaps-list"),
    path("expiries/", views.ExpiryView.as_view(), name="expiries-list"),
    *router.urls,
]
