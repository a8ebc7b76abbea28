from tests import factories


def test_history_records_who_changed_what(tree, client_for):
    client = client_for(tree["64.01"], username="budi")
    created = client.post("/api/assets/", {"kind": "router", "name": "Router lama"}, format="json").json()
    client.patch(f"/api/assets/{created['id']}/", {"name": "Router baru", "status": "faulty"}, format="json")
    history = client.get(f"/api/assets/{created['id']}/history/").json()
    assert [entry["history_type"] for entry in history] == ["~", "+"]
    assert {entry["history_user"] for entry in history} == {"budi"}
    changes = {c["field"]: (c["old"], c["new"]) for c in history[0]["changes"]}
    assert changes == {"name": ("Router lama", "Router baru"), "status": ("in_service", "faulty")}


def test_history_of_site_survives_deletion_in_the_model(tree, client_for):
    client = client_for(tree["64.01"])
    site = factories.site(tree["64.01"])
    assert client.delete(f"/api/sites/{site.pk}/").status_code == 204
    assert type(site).history.filter(id=site.pk, history_type="-").count() == 1
