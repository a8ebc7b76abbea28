"""The dashboard's JSON bodies, built and gzipped once per poll cycle rather than on every refresh of every page.

Every open dashboard asks for its figures every 30 seconds. They only change when the figures do (a poll
cycle's refresh, a write: the figures' stamp), so each body is rendered and compressed once per stamp, language
and set of readers (accounts.scoping.readers_key), byte for byte what the serializers and the renderer would
write (tests hold them equal); a request reads it and sends it (simpul.precompressed). The overview's live
panels (alerts, pollers) are kept apart for a few seconds (reports.dashboard.LIVE) and spliced on after the
figures.
"""

from django.core.cache import cache
from django.utils.translation import get_language

from accounts.scoping import readers_key
from assets.models import Agency
from monitoring.asset_status import bucket_labels
from reports.api.serializers import AgencyDetailSerializer, LivePanelsSerializer, OverviewFiguresSerializer
from reports.dashboard import (
    LIVE_TTL_S,
    OVERVIEW_TTL_S,
    cached_agency_detail,
    figures_stamp,
    labelled,
    live_key,
    live_panels,
    totals,
    visible_overview,
)
from simpul.precompressed import send

OVERVIEW, AGENCY = "reports:overview:body", "reports:agency:body"


def overview_response(request):
    user, renderer = request.user, request.accepted_renderer

    def figures() -> bytes:  # the body up to its live panels: without the closing brace
        overview, rows = visible_overview(user)
        labels = bucket_labels()
        data = {
            "generated_at": overview["generated_at"],
            "agencies": [labelled(row, labels) for row in rows],
            "totals": totals(rows),
            "labels": labels,
        }
        return renderer.render(OverviewFiguresSerializer(data).data)[:-1]

    tail = cache.get(live := live_key(user))
    if tail is None:
        tail = b"," + renderer.render(LivePanelsSerializer(live_panels(user)).data)[1:]
        cache.set(live, tail, LIVE_TTL_S)
    key = f"{OVERVIEW}:{get_language()}:{figures_stamp()}:{readers_key(user)}"
    return send(request, key, figures, tail=tail, timeout=OVERVIEW_TTL_S)


def agency_response(request, agency: Agency):
    def detail() -> bytes:
        return request.accepted_renderer.render(AgencyDetailSerializer(cached_agency_detail(agency)).data)

    key = f"{AGENCY}:{agency.code}:{get_language()}:{figures_stamp()}"
    return send(request, key, detail, timeout=OVERVIEW_TTL_S)
