"""The header's links: each page is linked to whoever its view admits (accounts.pages.page_for), in the order a
person at work reaches for them: field work first, then the desk, then purchasing and stock."""

from dataclasses import dataclass

from django.urls import resolve, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

LINKS = [
    ("dashboard", _("Dasbor")),
    ("maintenance-my-orders", _("Perintah kerja saya")),
    ("radio-check-new", _("Apel radio")),
    ("rollcalls-board", _("Jadwal apel")),
    ("maintenance-board", _("Papan kerja")),
    ("alerts-list", _("Peringatan")),
    ("pollers-page", _("Poller")),
    ("monthly-status-page", _("Laporan bulanan")),
    ("gaps-page", _("Kesenjangan")),
    ("link-report-page", _("Laporan link")),
    ("expiries-page", _("Akan berakhir")),
    ("stock-page", _("Stok")),
    ("stocktake-list", _("Inventarisasi")),
    ("scan-page", _("Pindai label")),
    ("labels-page", _("Label QR")),
]


@dataclass(frozen=True)
class Link:
    url: str
    label: str
    current: bool


def links_for(user, path: str = "") -> list[Link]:
    """The pages `user` may open, by the rule each page's view carries; an anonymous user gets none."""
    if user is None or not user.is_authenticated:
        return []
    result = []
    for name, label in LINKS:
        url = reverse(name)
        if resolve(url).func.may_use(user):
            result.append(Link(url=url, label=str(label), current=url == path))
    return result


def navigation(request) -> dict:
    """Context processor: `nav_links`, worked out only when a template shows the header."""
    return {"nav_links": SimpleLazyObject(lambda: links_for(getattr(request, "user", None), request.path))}
