from django.urls import path

from maintenance import dispatch_views, offline, views
from maintenance.api.views import calendar_feed

urlpatterns = [
    path("my/", views.my_orders, name="maintenance-my-orders"),
    path("sw.js", offline.service_worker, name="maintenance-sw"),
    path("manifest.webmanifest", offline.manifest, name="maintenance-manifest"),
    path("board/", dispatch_views.order_board, name="maintenance-board"),
    path("orders/new/", dispatch_views.order_new, name="maintenance-order-new"),
    path("plans/", dispatch_views.plan_list, name="maintenance-plans"),
    path("plans/new/", dispatch_views.plan_new, name="maintenance-plan-new"),
    path("plans/<int:pk>/", dispatch_views.plan_detail, name="maintenance-plan"),
    path("plans/<int:pk>/toggle/", dispatch_views.plan_toggle, name="maintenance-plan-toggle"),
    path("orders/<int:pk>/", views.order_detail, name="maintenance-order"),
    path("orders/<int:pk>/<slug:action>/", views.order_action, name="maintenance-order-action"),
    path("attachments/<int:pk>/", views.attachment_file, name="maintenance-attachment"),
    path("attachments/<int:pk>/thumb/", views.attachment_thumbnail, name="maintenance-attachment-thumb"),
    path("calendar/<str:token>.ics", calendar_feed, name="maintenance-calendar"),
]
