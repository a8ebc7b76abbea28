from django.urls import path

from alerts import views

urlpatterns = [
    path("ack/<str:token>/", views.acknowledge_link, name="alerts-ack"),
    path("telegram/<int:channel_id>/", views.telegram_webhook, name="alerts-telegram-webhook"),
]
