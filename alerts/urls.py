from django.urls import path

from alerts import views

urlpatterns = [
    path("", views.alert_list, name="alerts-list"),
    path("<int:pk>/", views.alert_detail, name="alerts-detail"),
    path("roster/", views.roster_week, name="alerts-roster"),
    path("rules/", views.rule_list, name="alerts-rules"),
    path("ack/<str:token>/", views.acknowledge_link, name="alerts-ack"),
    path("telegram/<int:channel_id>/", views.telegram_webhook, name="alerts-telegram-webhook"),
]
