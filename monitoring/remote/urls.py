from django.urls import path

from monitoring.remote import api

urlpatterns = [
    path("assignment/", api.AssignmentView.as_view(), name="poller-assignment"),
    path("results/", api.ResultsView.as_view(), name="poller-results"),
]
