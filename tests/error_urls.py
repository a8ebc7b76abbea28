"""Simpul's routes and error handlers, plus two that fail as a bug would: the 500 page's tests open them."""

from django.db import OperationalError
from django.urls import path

from simpul.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401 (Django reads them)


def broken_page(request):
    raise ZeroDivisionError("secret detail of /srv/simpul/views.py line 42")


# Whether the database has "gone": the view sets it, the test's execute_wrapper refuses every query after.
DATABASE = {"gone": False}


def database_gone(request):
    request.user.get_username()  # the session and the user were read while the database still answered
    DATABASE["gone"] = True
    raise OperationalError("server closed the connection unexpectedly")


urlpatterns = [
    path("test-broken/", broken_page),
    path("api/test-broken/", broken_page),
    path("test-database-gone/", database_gone),
    *urlpatterns,
]
