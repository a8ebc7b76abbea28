from django.urls import path, re_path

from reports import report_views, views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("agencies/<str:code>/", views.agency_page, name="agency-page"),
    path("procurement/gaps/", views.gaps_page, name="gaps-page"),
    path("procurement/expiries/", views.expiries_page, name="expiries-page"),
    path("reports/links/", views.link_report_page, name="link-report-page"),
    path("reports/", report_views.status_page, name="monthly-status-page"),
    re_path(
        r"^reports/(?P<code>\d{2}(?:\.\d{2}){0,2})/(?P<month>20\d{2}-(?:0[1-9]|1[0-2]))/$",
        report_views.report_page,
        name="monthly-report-page",
    ),
]
