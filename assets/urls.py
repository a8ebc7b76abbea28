from django.urls import path

from assets import views

urlpatterns = [
    path("assets/<int:pk>/", views.asset_page, name="asset-page"),
    path("assets/<int:pk>/condition/", views.asset_condition, name="asset-condition"),
    path("assets/scan/", views.scan_page, name="scan-page"),
    path("assets/labels/", views.labels_page, name="labels-page"),
    path("assets/labels.pdf", views.labels_file, name="labels-file"),
    path("procurement/stock/", views.stock_page, name="stock-page"),
    path("stocktakes/", views.stocktake_list, name="stocktake-list"),
    path("stocktakes/open/", views.stocktake_open, name="stocktake-open"),
    path("stocktakes/<int:pk>/", views.stocktake_page, name="stocktake-page"),
    path("stocktakes/<int:pk>/mark/", views.stocktake_mark, name="stocktake-mark"),
    path("stocktakes/<int:pk>/close/", views.stocktake_close, name="stocktake-close"),
    path("stocktakes/<int:pk>/photo/", views.stocktake_photo, name="stocktake-photo"),
    path("stocktakes/<int:pk>/lines/<int:line>/photo/", views.stocktake_line_photo, name="stocktake-line-photo"),
    path("stocktakes/<int:pk>/lines/<int:line>/thumb/", views.stocktake_line_thumbnail, name="stocktake-line-thumb"),
    path("stocktakes/<int:pk>/sign/", views.stocktake_sign, name="stocktake-sign"),
    path("stocktakes/<int:pk>/berita-acara.pdf", views.stocktake_record, {"extension": "pdf"}, name="stocktake-record"),
    path(
        "stocktakes/<int:pk>/berita-acara.xlsx",
        views.stocktake_record,
        {"extension": "xlsx"},
        name="stocktake-record-xlsx",
    ),
]
