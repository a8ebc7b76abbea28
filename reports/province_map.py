"""The province map: every agency's seat and every site a user sees, coloured by the worst state of its assets.

Agencies have no coordinates of their own: an agency's seat is its Pusdalops office (its first site if it has
none). The page draws these points on a plain frame, so the map reads without any tile server, and refreshes its
colours and legend from the API as the dashboard's figures refresh: kept per poll cycle, like them.
"""

import hashlib
from collections import Counter, defaultdict

from django.core.cache import cache
from django.db.models import Count
from django.utils.translation import get_language, ngettext

from accounts.scoping import readers_key, scope
from assets.choices import AgencyLevel, SiteKind
from assets.models import Agency, Asset, Site
from monitoring.choices import State
from monitoring.models import AssetState
from monitoring.policies import POLLED_STATUSES
from reports.dashboard import OVERVIEW_TTL_S, SEVERITY, figures_stamp
from simpul.precompressed import send

# The states in the legend, worst first; "unreachable" shares "down"'s colour but keeps its own words.
LEGEND_STATES = sorted(State.values, key=lambda state: SEVERITY.get(state, 3))


def shows_province_map(user, agency: Agency | None = None) -> bool:
    """The map belongs to the province's view: its own agency page, or the dashboard of whoever sees several."""
    if agency is not None:
        return agency.level in (AgencyLevel.PROVINCE, AgencyLevel.NATIONAL)
    return scope(Agency.objects.all(), user, agency_field="").count() > 1


def _worst(states) -> str:
    return min(states, key=lambda state: SEVERITY.get(state, 3), default=State.UNKNOWN)


def province_map(user, agency: Agency | None = None) -> dict:
    """The agencies (under `agency`, if given) and sites `user` sees, each with its worst state.

    Kept per poll cycle (the figures' stamp), language and set of agencies, so every open page's refresh
    reads it rather than counting every asset's state."""
    return _cached(*_mapped(user, agency))


def province_map_response(request, agency: Agency | None):
    """The map as the API writes it, rendered and gzipped once per stamp for all who see the same agencies."""
    user = request.user
    key = f"reports:province-map:body:{get_language()}:{figures_stamp()}:{readers_key(user)}:{agency and agency.code}"
    return send(
        request, key, lambda: request.accepted_renderer.render(province_map(user, agency)), timeout=OVERVIEW_TTL_S
    )


def _mapped(user, agency: Agency | None) -> tuple[str, list[Agency]]:
    agencies = scope(Agency.objects.all(), user, agency_field="")
    if agency is not None:
        agencies = agencies.filter(pk__in=[agency.pk, *agency.children.values_list("pk", flat=True)])
    agencies = list(agencies.order_by("code"))
    codes = hashlib.sha256(",".join(row.code for row in agencies).encode()).hexdigest()[:16]
    return f"reports:province-map:{get_language()}:{figures_stamp()}:{codes}", agencies


def _cached(key: str, agencies: list[Agency]) -> dict:
    data = cache.get(key)
    if data is None:
        data = _map(agencies)
        cache.set(key, data, OVERVIEW_TTL_S)
    return data


def _map(agencies: list[Agency]) -> dict:
    sites = list(Site.objects.filter(agency__in=agencies).order_by("agency__code", "name"))
    by_site: dict = defaultdict(list)
    by_agency: dict = defaultdict(Counter)
    for site_id, agency_id, state, count in (  # counted in the database: one row per site and state
        AssetState.objects.filter(asset__in=Asset.objects.filter(agency__in=agencies, status__in=POLLED_STATUSES))
        .values_list("asset__site_id", "asset__agency_id", "state")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        by_site[site_id].append(state)
        by_agency[agency_id][state] += count
    labels = dict(State.choices)
    seats = {}
    for site in sites:  # sites come in name order: the first Pusdalops office wins, else the first site
        current = seats.get(site.agency_id)
        if current is None or (current.kind != SiteKind.PUSDALOPS and site.kind == SiteKind.PUSDALOPS):
            seats[site.agency_id] = site
    agency_rows = []
    for row in agencies:
        state = _worst(by_agency[row.pk])
        seat = seats.get(row.pk)
        agency_rows.append(
            {
                "code": row.code,
                "name": row.name,
                "state": state,
                "state_label": str(labels[state]),
                "counts": [
                    {"state": s, "label": str(labels[s]), "count": by_agency[row.pk][s]}
                    for s in LEGEND_STATES
                    if by_agency[row.pk][s]
                ],
                "lat": float(seat.latitude) if seat else None,
                "lon": float(seat.longitude) if seat else None,
            }
        )
    names = {row.pk: row.name for row in agencies}
    site_rows = []
    for site in sites:
        state = _worst(by_site[site.pk])
        site_rows.append(
            {
                "id": site.pk,
                "name": site.name,
                "agency": names[site.agency_id],
                "state": state,
                "state_label": str(labels[state]),
                "lat": float(site.latitude),
                "lon": float(site.longitude),
            }
        )
    province = next((row for row in agencies if row.level == AgencyLevel.PROVINCE), None)
    return {
        "title": province.name if province else "",
        "agencies": agency_rows,
        "unplaced": [row["name"] for row in agency_rows if row["lat"] is None],
        "sites": site_rows,
        "legend": [_legend_row(state, str(labels[state]), agency_rows, site_rows) for state in LEGEND_STATES],
    }


def _legend_row(state: str, label: str, agency_rows: list[dict], site_rows: list[dict]) -> dict:
    agencies = sum(1 for row in agency_rows if row["state"] == state)
    sites = sum(1 for row in site_rows if row["state"] == state)
    counted = ngettext("%(agencies)s instansi", "%(agencies)s instansi", agencies) % {"agencies": agencies}
    placed = ngettext("%(sites)s lokasi", "%(sites)s lokasi", sites) % {"sites": sites}
    # The page's refresh writes `text` as it comes: "Mati: 1 instansi, 2 lokasi".
    text = f"{label}: {counted}, {placed}"
    return {"state": state, "label": label, "agencies": agencies, "sites": sites, "text": text}
