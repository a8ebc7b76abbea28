"""Simpul's own error pages: in the user's language, with the header, saying what happened and what to do,
never how the server is built. Under /api/ every error stays JSON ({"detail": ...}) like the API's own.

The 500 page is rendered without a request, so no context processor (the navigation reads the database)
and no database query can fail a second time while it is drawn.
"""

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied

from accounts.authentication import apply_token_language


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


def _page(request, code: int, title: str, what: str, todo: str) -> HttpResponse:
    context = {"code": code, "title": title, "what": what, "todo": todo}
    return render(request, "errors/error.html", context, status=code)


def bad_request(request, exception):
    what = _("Permintaan ini tidak dapat dibaca oleh Simpul.")
    if _is_api(request):
        return JsonResponse({"detail": what}, status=status.HTTP_400_BAD_REQUEST)
    return _page(request, 400, _("Permintaan tidak dapat diproses"), what, _("Buka lagi halaman dari menu di atas."))


def permission_denied(request, exception):
    if _is_api(request):
        return JsonResponse({"detail": str(ApiPermissionDenied.default_detail)}, status=status.HTTP_403_FORBIDDEN)
    # A reason, when a view gives one, is one of Simpul's own sentences (accounts.pages.page_for).
    what = str(exception) or _("Peran Anda tidak mengizinkan halaman atau tindakan ini.")
    todo = _("Pilih halaman dari menu di atas, atau minta administrator instansi Anda menambah peran Anda.")
    return _page(request, 403, _("Anda tidak berhak membuka halaman ini"), what, todo)


def csrf_failure(request, reason=""):
    """A form sent without its token: usually a page left open too long, or cookies blocked for Simpul."""
    what = _("Formulir ini tidak dapat diterima: halamannya sudah terlalu lama terbuka, atau cookie diblokir.")
    todo = _("Muat ulang halaman lalu kirim formulirnya lagi. Jika tetap gagal, izinkan cookie untuk Simpul.")
    return _page(request, 403, _("Formulir kedaluwarsa"), what, todo)


def page_not_found(request, exception):
    """An unknown address, and another agency's object alike: neither says which it was."""
    if _is_api(request):
        apply_token_language(request)  # no view ran, so no authentication chose the token owner's language
        return JsonResponse({"detail": str(NotFound.default_detail)}, status=status.HTTP_404_NOT_FOUND)
    what = _("Alamat ini tidak ada, atau datanya di luar instansi yang dapat Anda lihat.")
    todo = _("Periksa alamatnya, atau pilih halaman dari menu di atas.")
    return _page(request, 404, _("Halaman tidak ditemukan"), what, todo)


def server_error(request):
    what = _("Terjadi kesalahan di server Simpul. Kesalahan ini sudah tercatat untuk petugas.")
    if _is_api(request):
        return JsonResponse({"detail": what}, status=status.HTTP_500_INTERNAL_SERVER_ERROR)
    context = {"lang": get_language(), "what": what, "todo": _("Coba lagi beberapa menit lagi.")}
    return HttpResponse(loader.get_template("500.html").render(context), status=500)
