from django.urls import path

from monitoring import poller_views

urlpatterns = [
    path("", poller_views.poller_list, name="pollers-page"),
    path("new/", poller_views.poller_new, name="pollers-new"),
    path("<int:pk>/rotate/", poller_views.poller_rotate_token, name="pollers-rotate"),
    path("<int:pk>/revoke/", poller_views.poller_revoke_token, name="pollers-revoke"),
]
