from django.urls import path

from assets import views

urlpatterns = [
    path("assets/<int:pk>/", views.asset_page, name="asset-page"),
    path("assets/labels/", views.labels_page, name="labels-page"),
    path("assets/labels.pdf", views.labels_file, name="labels-file"),
    path("procurement/stock/", views.stock_page, name="stock-page"),
    path("stocktakes/", views.stocktake_list, name="stocktake-list"),
    path("stocktakes/open/", views.stocktake_open, name="stocktake-open"),
    path("stocktakes/<int:pk>/", views.stocktake_page, name="stocktake-page"),
    path("stocktakes/<int:pk>/mark/", views.stocktake_mark, name="stocktake-mark"),
    path("stocktakes/<int:pk>/close/", views.stocktake_close, name="stocktake-close"),
    path("stocktakes/<int:pk>/berita-acara.pdf", views.stocktake_record, name="stocktake-record"),
]
