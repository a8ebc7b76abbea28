"""The dashboard's JSON bodies, rendered once per poll cycle rather than on every refresh of every open page.

Every open dashboard asks for its figures every 30 seconds: for 600 agencies serializing and rendering the rows
took ~70 ms a request, and an agency of 500 assets ~80 ms, ten times the rest. They only change when the figures
do (a poll cycle's refresh, a write: the figures' stamp), so they are rendered once per stamp and language,
byte for byte what the serializers and the renderer would write (tests hold them equal). What is live (the
alerts and pollers panels, who sees which agencies) is still read on each request.
"""

import hashlib

from django.core.cache import cache
from django.utils.translation import get_language

from assets.models import Agency
from monitoring.asset_status import bucket_labels
from reports.api.serializers import AgencyDetailSerializer, OverviewRowSerializer, OverviewSerializer
from reports.dashboard import (
    OVERVIEW_TTL_S,
    cached_agency_detail,
    figures_stamp,
    labelled,
    live_panels,
    totals,
    visible_codes,
    visible_overview,
)

ROWS, AGENCY = "reports:overview:rendered", "reports:agency:rendered"
EMPTY = b'"agencies":[]'


def overview_body(user, renderer) -> bytes:
    visible = visible_codes(user)
    labels = bucket_labels()
    readers = hashlib.sha256(",".join(sorted(visible)).encode()).hexdigest()[:16]  # who sees the same rows
    key = f"{ROWS}:{get_language()}:{figures_stamp()}:{readers}"
    cached = cache.get(key)
    if cached is None:
        overview, rows = visible_overview(user, visible)
        rendered = b",".join(renderer.render(OverviewRowSerializer(labelled(row, labels)).data) for row in rows)
        cached = (overview["generated_at"], rendered, totals(rows))
        cache.set(key, cached, OVERVIEW_TTL_S)
    generated_at, rendered, figures = cached
    head = renderer.render(
        OverviewSerializer(
            {
                "generated_at": generated_at,
                "agencies": [],
                "totals": figures,
                "labels": labels,
                **live_panels(user),
            }
        ).data
    )
    # The first "agencies":[] is the top level's: generated_at comes before it, and inside strings quotes are escaped.
    return head.replace(EMPTY, b'"agencies":[' + rendered + b"]", 1)


def agency_body(agency: Agency, renderer) -> bytes:
    key = f"{AGENCY}:{agency.code}:{get_language()}:{figures_stamp()}"
    body = cache.get(key)
    if body is None:
        body = renderer.render(AgencyDetailSerializer(cached_agency_detail(agency)).data)
        cache.set(key, body, OVERVIEW_TTL_S)
    return body
