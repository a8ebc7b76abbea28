from django.urls import path

from rollcalls import views

urlpatterns = [
    path("", views.board, name="rollcalls-board"),
    path("<int:pk>/record/", views.record, name="rollcalls-record"),
]
