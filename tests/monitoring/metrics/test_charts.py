"""The asset page's metric charts: present for kinds whose profile reads them, labels in Indonesian."""

from monitoring.models import KindPolicy
from tests import factories


def page(client, tree, asset) -> str:
    client.force_login(factories.user(tree["64.01"], "technician"))
    response = client.get(f"/assets/{asset.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_ups_page_charts_its_battery_and_a_link_page_its_throughput(client, tree):
    ups = factories.asset(tree["64.01"], kind="ups", name="UPS Pusdalops")
    html = page(client, tree, ups)
    assert 'id="metric-battery"' in html and "Sisa baterai (%)" in html and 'id="metric-throughput"' not in html
    assert f'data-url="/api/monitoring/metrics/{ups.pk}/"' in html and "simpul/metric_charts.js" in html
    link = factories.asset(tree["64.01"], kind="internet_link", name="Link", provider="Telkom", medium="fibre")
    html = page(client, tree, link)
    assert 'id="metric-throughput"' in html and "Trafik (Mbps)" in html and "Kontrak unduh" in html


def test_vendor_labels_get_a_chart_each_and_a_kind_without_metrics_none(client, tree):
    KindPolicy.objects.create(kind="satellite_terminal", extra_oids={"snr_db": "1.3.6.1.4.1.9999.1.0"})
    modem = factories.asset(tree["64.01"], kind="satellite_terminal", name="VSAT", sat_network="vsat")
    assert 'data-metric="snr_db"' in page(client, tree, modem)
    radio = factories.radio(tree["64.01"])
    assert 'id="metric-charts"' not in page(client, tree, radio)


def test_the_page_reads_its_figures_with_its_session(client, tree):
    ups = factories.asset(tree["64.01"], kind="ups", name="UPS Pusdalops")
    page(client, tree, ups)
    response = client.get(f"/api/monitoring/metrics/{ups.pk}/")  # what metric_charts.js fetches
    assert response.status_code == 200 and response.json()["series"]["ups_charge_pct"] == []
