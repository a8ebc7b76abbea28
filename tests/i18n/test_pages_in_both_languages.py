"""Every HTML page of the URLconf, as each demo role sees it on the seeded Kaltim demo, in English and in
Indonesian: the English pages carry no Indonesian word of a short list, the Indonesian ones none of Django's
English. What the page says is checked (text, the words and figures handed to scripts in data- attributes and
json_script, titles and placeholders); the data people typed or the seed wrote (names, notes, checklists) are
taken out first, since data is not translated.

A new page joins by itself when its URL has no parameters; one with parameters fails here until PARAMS says
how to fill them (or NOT_PAGES says why it is no page)."""

import json
import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.models import User
from alerts.cycle import after_poll_cycle
from alerts.models import Alert, Message
from alerts.signing.ack import link_token
from assets.models import Agency, Asset, Stocktake
from assets.stocktake import stocktake_open
from maintenance.models import PreventivePlan, WorkOrder
from monitoring.observations import Observation
from monitoring.recorder import record
from reports.deadlines import previous_month
from rollcalls.models import RollCallSchedule
from tests.i18n.words import INDONESIAN, data, strings

ROLES = ["teknisi", "manajer", "pengadaan", "administrator", "teknisi-samarinda", "teknisi-kukar"]
ENGLISH = re.compile(
    r"\b(this field|is required|not found|matches the given query|forbidden|enter a valid|select a valid|"
    r"invalid|permission|log out|log in)\b",
    re.I,
)
PYTHON_NONE = re.compile(r"\bNone\b")  # Python's None, or an English word a reader would take for it
NOT_PAGES = {  # routes that answer no HTML page to a GET, and why
    "set_language": "the EN/ID switch (POST)",
    "logout": "POST",
    "maintenance-plan-toggle": "POST",
    "maintenance-order-action": "POST",
    "maintenance-attachment": "a photo",
    "maintenance-attachment-thumb": "a photo",
    "maintenance-calendar": "an iCalendar feed",
    "alerts-telegram-webhook": "Telegram's POST",
    "labels-file": "a PDF",
    "stocktake-record": "a PDF",
    "stocktake-mark": "POST",
    "stocktake-close": "POST",
    "stocktake-photo": "POST",
    "stocktake-sign": "POST",
    "stocktake-line-photo": "a photo",
    "stocktake-line-thumb": "a photo",
    "asset-condition": "POST",
    "stocktake-record-xlsx": "a workbook",
    "pollers-new": "POST",
    "rollcalls-schedule-toggle": "POST",
    "pollers-rotate": "POST",
    "pollers-revoke": "POST",
    "metrics-watch-interfaces": "POST (the form on the asset page)",
    "password_reset_confirm": "a link from a password-reset email",
}
ATTRIBUTES = {"title", "placeholder", "aria-label", "alt", "label"}


def _mine(model, user, **extra):
    """An object of the person's own agency when there is one (the page they would open), else any."""
    found = model.objects.filter(agency=user.agency, **extra).order_by("pk").first()
    return found or model.objects.filter(**extra).order_by("pk").first()


PARAMS = {  # route name -> the URL kwargs as a person of that role would follow them
    "maintenance-plan": lambda user: {"pk": _mine(PreventivePlan, user).pk},
    "maintenance-order": lambda user: {"pk": _mine(WorkOrder, user).pk},
    "alerts-detail": lambda user: {"pk": Alert.objects.order_by("pk").first().pk},
    "alerts-ack": lambda user: {"token": link_token(Message.objects.order_by("pk").first())},
    "rollcalls-record": lambda user: {"pk": _mine(RollCallSchedule, user).pk},
    "rollcalls-schedule-edit": lambda user: {"pk": _mine(RollCallSchedule, user).pk},
    "agency-page": lambda user: {"code": user.agency.code},
    "monthly-report-page": lambda user: {
        "code": user.agency.code,
        "month": previous_month(timezone.localdate()).strftime("%Y-%m"),
    },
    "asset-page": lambda user: {"pk": _mine(Asset, user).pk},
    "stocktake-page": lambda user: {"pk": _mine(Stocktake, user).pk},
}


class _Said(HTMLParser):
    """What a page says to a person: its text, the words it hands its scripts, titles and placeholders."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self._in = tag if tag in ("style", "script") else None
        if tag == "script" and attrs.get("type") == "application/json":
            self._in = "json"
        for name, value in attrs.items():
            if value and (name in ATTRIBUTES or (name.startswith("data-") and not name.endswith("url"))):
                self.parts.append(value)
            if value and name == "value" and tag == "button":
                self.parts.append(value)

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "json":
            self.parts.extend(strings(json.loads(data)))
        elif self._in is None:
            self.parts.append(data)


def _said(html: str) -> str:
    parser = _Said()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def _pages(user) -> list[str]:
    urls, unknown = [], []
    for route, name in _routes(get_resolver().url_patterns):
        if route.startswith(("api/", "admin/")) or name in NOT_PAGES:
            continue
        try:
            urls.append(reverse(name, kwargs=PARAMS[name](user)) if name in PARAMS else reverse(name))
        except KeyError:
            unknown.append(name)
    assert not unknown, f"Say how to fill these routes' parameters in PARAMS, or why they are no page: {unknown}"
    return [*urls, "/no-such-page/"]


def _routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield prefix + str(pattern.pattern), pattern.name


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True  # the demo logins and roster are refused without it
    call_command("seed_kaltim", demo_users="simpul-i18n-demo", verbosity=0)
    call_command("seed_alert_demo", verbosity=0)
    samarinda = Agency.objects.get(code="64.72")
    repeater = Asset.objects.filter(agency=samarinda, kind="repeater").exclude(management_address="").first()
    start = timezone.now() - timedelta(minutes=4)
    for step in range(4):  # one alert, sent: its page and its acknowledge link
        moment = start + timedelta(minutes=step)
        record([Observation(repeater.pk, moment, "icmp", "up" if step == 0 else "down")], now=moment)
        after_poll_cycle(moment)
    for user in User.objects.filter(username__in=["teknisi", "teknisi-samarinda"]):
        stocktake_open(agency=user.agency, by=user)
    settings.DEBUG = False  # the pages people see, not Django's technical 404 page
    return data()


@pytest.mark.parametrize(
    ("language", "foreign", "sign_out"),
    [("en", INDONESIAN, "Sign out"), ("id", ENGLISH, "Keluar")],
    ids=["english", "indonesian"],
)
def test_every_page_speaks_one_language(demo, settings, language, foreign, sign_out):
    problems, seen = [], 0
    User.objects.update(language=language)
    anonymous = Client()
    anonymous.cookies[settings.LANGUAGE_COOKIE_NAME] = language  # as the header's switch leaves it
    visits = [(None, anonymous, [reverse("login"), "/no-such-page/", _ack(), reverse("password_reset")])]
    for username in ROLES:
        client = Client()
        user = User.objects.get(username=username)
        client.force_login(user)
        visits.append((username, client, _pages(user)))
    for who, client, urls in visits:
        for url in urls:
            answer = client.get(url)
            if "text/html" not in answer.headers.get("Content-Type", "") or answer.status_code in (301, 302, 405):
                continue
            if answer.status_code >= 400 and not _own_error_page(answer.status_code):
                continue  # Django's bare fallback ("Not Found"), until Simpul has a page of its own for it
            seen += 1
            assert answer.headers["Content-Language"] == language, (who, url)
            text = _said(answer.content.decode())
            if who and answer.status_code == 200 and not url.startswith("/accounts/"):  # Django's own pages there
                assert sign_out in text, (who, url)  # the page is in its language, not merely free of the other
            for typed in demo:
                text = text.replace(typed, " ")
            where = f"{who or 'anonymous'} {url} ({answer.status_code})"
            problems += [
                f"{where}: {m[0]!r} in …{text[max(m.start() - 40, 0) : m.end() + 40]}…"
                for pattern in (foreign, PYTHON_NONE)
                for m in pattern.finditer(text)
            ]
    assert seen > 6 * 20, seen
    assert not problems, "\n".join(problems)


def _own_error_page(status: int) -> bool:
    try:
        get_template(f"{status}.html")
    except TemplateDoesNotExist:
        return False
    return True


def _ack() -> str:
    return reverse("alerts-ack", kwargs=PARAMS["alerts-ack"](None))
