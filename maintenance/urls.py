from django.urls import path

from maintenance import views
from maintenance.api.views import calendar_feed

urlpatterns = [
    path("my/", views.my_orders, name="maintenance-my-orders"),
    path("orders/<int:pk>/", views.order_detail, name="maintenance-order"),
    path("orders/<int:pk>/<slug:action>/", views.order_action, name="maintenance-order-action"),
    path("attachments/<int:pk>/", views.attachment_file, name="maintenance-attachment"),
    path("attachments/<int:pk>/thumb/", views.attachment_thumbnail, name="maintenance-attachment-thumb"),
    path("calendar/<str:token>.ics", calendar_feed, name="maintenance-calendar"),
]
