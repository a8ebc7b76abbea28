from django.urls import path

from rollcalls import schedule_views, views

urlpatterns = [
    path("", views.board, name="rollcalls-board"),
    path("<int:pk>/record/", views.record, name="rollcalls-record"),
    path("schedules/new/", schedule_views.schedule_new, name="rollcalls-schedule-new"),
    path("schedules/<int:pk>/", schedule_views.schedule_edit, name="rollcalls-schedule-edit"),
    path("schedules/<int:pk>/toggle/", schedule_views.schedule_toggle, name="rollcalls-schedule-toggle"),
]
