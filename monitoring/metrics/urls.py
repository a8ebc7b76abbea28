from django.urls import path

from monitoring.metrics import views

urlpatterns = [
    path("<int:pk>/interfaces/", views.watch_interfaces, name="metrics-watch-interfaces"),
]
