"""The EN/ID switch is remembered on the person's profile and speaks for them everywhere: on every page and API
answer from any browser or token, from the login page on, and in their alerts (tests/alerts/test_language.py)."""

from django.conf import settings
from django.test import Client
from rest_framework.test import APIClient

from accounts.choices import Role
from accounts.models import User
from alerts.models import AlertContact
from tests import factories

PASSWORD = "simpul-language-1"


def _person(agency, **extra) -> User:
    person = factories.user(agency, Role.TECHNICIAN, **extra)
    person.set_password(PASSWORD)
    person.save()
    return person


def test_indonesian_by_default_even_in_an_english_browser_whose_api_clients_may_ask_for_english(tree):
    from rest_framework.authtoken.models import Token

    person = _person(tree["64.01"])
    client = Client(HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    client.force_login(person)
    page = client.get("/maintenance/my/")
    assert page.headers["Content-Language"] == "id" and "Perintah kerja saya" in page.text
    # The page's own fetches (its session) speak as the page: a map legend in English on an Indonesian page was
    # the bug; an API client with a token follows Accept-Language.
    assert client.get("/api/assets/999999/").json() == {"detail": "Data tidak ditemukan."}
    script = Client(
        HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9", HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=person)}"
    )
    assert script.get("/api/assets/999999/").json() == {"detail": "Not found."}
    assert Client().get("/api/sites/").json() == {"detail": "Data autentikasi tidak diberikan."}


def test_the_switch_is_kept_on_the_profile_and_follows_the_person_to_another_browser(tree):
    person = _person(tree["64.01"])
    phone = Client()
    phone.force_login(person)
    switched = phone.post("/i18n/setlang/", {"language": "en", "next": "/maintenance/my/"})
    assert switched.status_code == 302 and switched.headers["Location"] == "/maintenance/my/"
    person.refresh_from_db()
    assert person.language == "en"

    laptop = Client(HTTP_ACCEPT_LANGUAGE="id")  # a browser that asks for Indonesian, with no language cookie
    laptop.force_login(person)
    page = laptop.get("/maintenance/my/")
    assert page.headers["Content-Language"] == "en" and "My work orders" in page.text
    assert "Perintah kerja saya" not in page.text

    phone.post("/i18n/setlang/", {"language": "id", "next": "/"})
    page = laptop.get("/maintenance/my/")
    assert page.headers["Content-Language"] == "id" and "Perintah kerja saya" in page.text


def test_an_unknown_language_changes_nothing(tree):
    person = _person(tree["64.01"], language="en")
    client = Client()
    client.force_login(person)
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    person.refresh_from_db()
    assert person.language == "en"


def test_a_choice_made_on_the_login_page_is_kept_at_login_unless_the_profile_has_one(tree):
    newcomer = _person(tree["64.01"])
    veteran = _person(tree["64.01"], language="id")
    for person, kept in ((newcomer, "en"), (veteran, "id")):
        client = Client()
        client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
        assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
        signed_in = client.post("/accounts/login/", {"username": person.username, "password": PASSWORD})
        assert signed_in.status_code == 302
        person.refresh_from_db()
        assert person.language == kept
        assert client.get("/maintenance/my/").headers["Content-Language"] == kept


def test_a_token_speaks_its_persons_language_even_where_no_view_answers(tree, client_for):
    english = client_for(tree["64.01"], language="en")
    indonesian = client_for(tree["64.01"])
    assert english.get("/api/assets/999999/").json() == {"detail": "Not found."}
    assert english.get("/api/no-such-route/").json() == {"detail": "Not found."}
    assert indonesian.get("/api/no-such-route/").json() == {"detail": "Data tidak ditemukan."}


def test_the_contacts_api_reads_and_writes_the_profiles_language(tree, client_for):
    administrator = client_for(tree["64.01"], Role.ADMINISTRATOR)
    person = _person(tree["64.01"])
    created = administrator.post("/api/alerts/contacts/", {"user": person.username, "language": "en"}, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["language"] == "en"
    person.refresh_from_db()
    assert person.language == "en"
    contact = AlertContact.objects.get(user=person)
    changed = administrator.patch(f"/api/alerts/contacts/{contact.pk}/", {"language": "id"}, format="json")
    assert changed.json()["language"] == "id"
    person.refresh_from_db()
    assert person.language == "id"
    refused = administrator.patch(f"/api/alerts/contacts/{contact.pk}/", {"language": "fr"}, format="json")
    assert refused.status_code == 400 and "language" in refused.json()
    assert APIClient().get("/api/alerts/contacts/").status_code == 401
