"""The Content-Security-Policy header (simpul.csp): on every page, with the map tiles' origin and no other."""

import pytest

from tests import factories


def policy_of(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {directive: sources for directive, _, sources in (item.strip().partition(" ") for item in header.split(";"))}


@pytest.fixture
def manager_client(client, tree):
    client.force_login(factories.user(tree["64"], "manager"))
    return client


@pytest.mark.parametrize(
    ("tile_url", "img_src"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "'self' data: https://tile.openstreetmap.org"),
        ("https://{s}.tiles.example.id:8443/osm/{z}/{x}/{y}.png", "'self' data: https://*.tiles.example.id:8443"),
        ("", "'self' data:"),
    ],
)
def test_images_come_from_simpul_and_the_configured_tile_server_only(manager_client, settings, tile_url, img_src):
    settings.MAP_TILE_URL = tile_url
    policy = policy_of(manager_client.get("/agencies/64.01/"))
    assert policy == {
        "default-src": "'self'",
        "script-src": "'self'",
        "style-src": "'self'",
        "img-src": img_src,
        "object-src": "'none'",
        "base-uri": "'self'",
        "frame-ancestors": "'none'",
        "form-action": "'self'",
    }


@pytest.mark.parametrize("path", ["/admin/login/", "/api/", "/api/docs/", "/api/redoc/"])
def test_pages_of_other_projects_allow_inline_styles_but_still_no_inline_script(manager_client, settings, path):
    settings.MAP_TILE_URL = ""
    policy = policy_of(manager_client.get(path, HTTP_ACCEPT="text/html"))
    assert policy["style-src"] == "'self' 'unsafe-inline'"
    assert policy["script-src"].split()[:2] == ["'self'", "'unsafe-hashes'"]  # DRF's logout handler, by its hash
    assert len(policy["script-src"].split()) == 3 and policy["object-src"] == "'none'"


def test_json_answers_carry_no_page_policy(manager_client):
    assert "Content-Security-Policy" not in manager_client.get("/api/agencies/", HTTP_ACCEPT="application/json")
