from django.urls import path

from reports import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("agencies/<str:code>/", views.agency_page, name="agency-page"),
    path("procurement/gaps/", views.gaps_page, name="gaps-page"),
    path("procurement/expiries/", views.expiries_page, name="expiries-page"),
]
