"""The dashboard's shared cache: never another database's figures, a write shows at once, benchmarks keep out."""

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from maintenance.models import WorkOrder
from monitoring.models import AssetState
from reports.deadlines import previous_month
from tests import factories

ROOT = Path(__file__).resolve().parents[2]

# Run by `manage.py shell -c` against one database: its province 64 and a manager there (made once), then
# optionally the names of the dashboard's rows, as the manager's dashboard shows them.
DASHBOARD_NAMES = """
import json, os
from accounts.models import User
from assets.models import Agency
from reports.dashboard import province_overview
agency, _ = Agency.objects.get_or_create(code="64", defaults={"name": os.environ["AGENCY_NAME"], "level": "province"})
user, _ = User.objects.get_or_create(username="manajer", defaults={"agency": agency, "role": "manager"})
if os.environ.get("READ"):
    print(json.dumps([row["name"] for row in province_overview(user)["agencies"]]))
"""


def _manage(var_dir: Path, database: Path, *args: str, **env: str) -> str:
    environment = {k: v for k, v in os.environ.items() if k not in {"CACHE_URL", "DATABASE_URL"}}
    environment |= {"SIMPUL_VAR_DIR": str(var_dir), "DATABASE_URL": f"sqlite:///{database}", "DEBUG": "true", **env}
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_two_databases_sharing_one_var_dir_never_see_each_others_dashboard(tmp_path):
    """A benchmark's "64 Bench" once showed on a developer's dashboard: same var/cache, another database."""
    bench, developer = tmp_path / "bench.sqlite3", tmp_path / "simpul.sqlite3"
    for database in (bench, developer):
        _manage(tmp_path, database, "migrate", "--verbosity", "0")
    _manage(tmp_path, developer, "shell", "-c", DASHBOARD_NAMES, AGENCY_NAME="BPBD Kalimantan Timur")
    seen = _manage(tmp_path, bench, "shell", "-c", DASHBOARD_NAMES, AGENCY_NAME="Bench", READ="1")
    assert json.loads(seen.splitlines()[-1]) == ["Bench"]  # computed and cached in the shared directory
    seen = _manage(tmp_path, developer, "shell", "-c", DASHBOARD_NAMES, AGENCY_NAME="-", READ="1")
    assert json.loads(seen.splitlines()[-1]) == ["BPBD Kalimantan Timur"]


def test_the_cycle_benchmark_writes_nothing_into_var(tmp_path):
    """bench/cycle.py on a copy of the code, SIMPUL_VAR_DIR unset: the copy's var/ stays absent."""
    copy = tmp_path / "simpul"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".git", ".venv", "var", "test-artifacts", "__pycache__"))
    environment = {k: v for k, v in os.environ.items() if k not in {"SIMPUL_VAR_DIR", "CACHE_URL", "DATABASE_URL"}}
    done = subprocess.run(
        [sys.executable, "bench/cycle.py", "--assets", "2", "--cycles", "1", "--databases", "sqlite"],
        cwd=copy,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout.splitlines()[-1])["assets"] == 2
    assert not (copy / "var").exists()


@pytest.fixture
def paser_at_work(tree):
    """Kabupaten Paser: a router that answers, one open work order, a technician and a manager with API tokens."""
    paser = tree["64.01"]
    technician, manager = factories.user(paser, "technician"), factories.user(paser, "manager")
    router = factories.asset(paser, kind="router", name="Router Pusdalops", management_address="127.0.0.1")
    AssetState.objects.create(asset=router, state="up", monitored_since=timezone.now() - timedelta(days=1))
    order = WorkOrder.objects.create(
        agency=paser, asset=router, kind="corrective", title="Router mati", reporter=technician
    )
    return {
        "router": router,
        "order": order,
        "manager": manager,
        "technician": {"Authorization": f"Token {Token.objects.create(user=technician).key}"},
        "manager_auth": {"Authorization": f"Token {Token.objects.create(user=manager).key}"},
    }


def _overview(live_server, auth: dict) -> tuple[str, dict]:
    """When the network figures were computed, and the one agency's row, as the dashboard API answers."""
    response = requests.get(f"{live_server.url}/api/reports/dashboard/", headers=auth, timeout=30)
    response.raise_for_status()
    [row] = response.json()["agencies"]
    return response.json()["generated_at"], row


def _page_row(live_server, user) -> dict:
    """The row the dashboard page renders for its first load (the overview handed to its script)."""
    client = Client()
    client.force_login(user)
    html = requests.get(
        f"{live_server.url}/", cookies={"sessionid": client.cookies["sessionid"].value}, timeout=30
    ).text
    data = re.search(r'<script id="overview-data" type="application/json">(.*?)</script>', html, re.S).group(1)
    [row] = json.loads(data)["agencies"]
    return row


def test_a_submitted_report_and_a_finished_work_order_show_on_the_dashboard_at_once(live_server, paser_at_work):
    manager, technician = paser_at_work["manager_auth"], paser_at_work["technician"]
    _computed, before = _overview(live_server, manager)  # cached now: the next reads come from the cache
    assert before["report_status"] in {"missing", "pending"} and before["open_work_orders"] == 1

    month = previous_month(timezone.localdate()).strftime("%Y-%m")
    url = f"{live_server.url}/api/reports/monthly/64.01/submit/?month={month}"
    submitted = requests.post(url, headers=manager, timeout=30)
    assert submitted.status_code == 200
    assert _overview(live_server, manager)[1]["report_status"] == submitted.json()["status"]
    assert _page_row(live_server, paser_at_work["manager"])["report_status"] == submitted.json()["status"]

    url = f"{live_server.url}/api/maintenance/work-orders/{paser_at_work['order'].pk}"
    assert requests.post(f"{url}/start/", headers=technician, timeout=30).status_code == 200
    finished = requests.post(f"{url}/finish/", json={"resolution": "Catu daya diganti"}, headers=technician, timeout=30)
    assert finished.status_code == 200
    assert _overview(live_server, manager)[1]["open_work_orders"] == 0
    assert _page_row(live_server, paser_at_work["manager"])["open_work_orders"] == 0


def test_work_writes_leave_the_network_figures_cached_and_an_asset_write_renews_them(live_server, paser_at_work):
    """Work orders change often and their figures are cheap; the network figures cost a second at 30,000 assets."""
    manager, technician = paser_at_work["manager_auth"], paser_at_work["technician"]
    computed, before = _overview(live_server, manager)
    assert before["states"]["up"] == 1
    url = f"{live_server.url}/api/maintenance/work-orders/{paser_at_work['order'].pk}/cancel/"
    assert requests.post(url, headers=technician, timeout=30).status_code == 200
    again, row = _overview(live_server, manager)
    assert row["open_work_orders"] == 0 and again == computed

    url = f"{live_server.url}/api/assets/{paser_at_work['router'].pk}/"
    assert requests.patch(url, json={"status": "retired"}, headers=technician, timeout=30).status_code == 200
    again, row = _overview(live_server, manager)
    assert row["states"]["up"] == 0 and again != computed
