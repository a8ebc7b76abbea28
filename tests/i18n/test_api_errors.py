"""The API's main errors in the person's language: English for a token whose person chose English (or a client
asking for it), Indonesian otherwise, with nothing of the other language mixed in (Django's and DRF's own
messages included)."""

import re

import pytest
from rest_framework.test import APIClient

from accounts.choices import Role

INDONESIAN = re.compile(r"\b(bidang|harus|diisi|tidak|ditemukan|anda|izin|data|objek|wajib|token tidak)\b", re.I)
ENGLISH = re.compile(r"\b(this field|required|not found|permission|credentials|invalid|does not exist)\b", re.I)

EXPECTED = {
    "en": {
        400: {"name": ["This field is required."], "agency": ["Object with code=63.01 does not exist."]},
        404: {"detail": "Not found."},
        403: {"detail": "You do not have permission to perform this action."},
        401: {"detail": "Authentication credentials were not provided."},
        "bad token": {"detail": "Invalid token."},
    },
    "id": {
        400: {"name": ["Bidang ini harus diisi."], "agency": ["Objek dengan code=63.01 tidak ada."]},
        404: {"detail": "Data tidak ditemukan."},
        403: {"detail": "Anda tidak memiliki izin untuk melakukan tindakan ini."},
        401: {"detail": "Data autentikasi tidak diberikan."},
        "bad token": {"detail": "Token tidak sah."},
    },
}


@pytest.mark.parametrize("language", ["en", "id"])
def test_the_main_errors_speak_one_language(tree, client_for, language):
    technician = client_for(tree["64.01"], language=language)
    manager = client_for(tree["64.01"], Role.MANAGER, language=language)
    stranger = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    site = {"agency": "63.01", "kind": "office", "latitude": "-1.5", "longitude": "116.5", "power_source": "grid"}
    answers = {
        400: technician.post("/api/sites/", site, format="json"),
        404: technician.get("/api/assets/999999/"),
        403: manager.post("/api/sites/", {**site, "name": "Pos", "agency": "64.01"}, format="json"),
        401: stranger.get("/api/sites/"),
        "bad token": APIClient(HTTP_ACCEPT_LANGUAGE=language, HTTP_AUTHORIZATION="Token nope").get("/api/sites/"),
    }
    other = ENGLISH if language == "id" else INDONESIAN
    for case, expected in EXPECTED[language].items():
        answer = answers[case]
        assert answer.status_code == (401 if case == "bad token" else case), (case, answer.content)
        body = answer.json()
        assert {key: body[key] for key in expected} == expected, (case, body)
        assert not other.search(answer.content.decode()), (case, body)
        assert answer.headers["Content-Language"] == language
