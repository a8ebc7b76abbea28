"""The two routes a remote poller talks to (PROTOCOL.md): its assignment, and the results it ships.

A poller authenticates with its own bearer token, not as a user: these routes admit nothing else, and no
other route admits a poller token.
"""

import ipaddress

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import APIException, AuthenticationFailed
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from monitoring.models import Poller
from monitoring.remote.ingest import OutsideAssignment, assignment_payload, ingest_batch
from monitoring.remote.tokens import token_hash
from monitoring.remote.wire import WireError, batch_from_wire
from simpul.client_ip import client_ip
from simpul.parsers import JSONParser


class PollerTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer <token>` of an unrevoked poller; request.auth is the Poller."""

    def authenticate(self, request):
        words = get_authorization_header(request).split()
        if not words or words[0].lower() != b"bearer":
            return None
        if len(words) != 2:
            raise AuthenticationFailed(_("Header Authorization harus 'Bearer <token>'."))
        try:
            token = words[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed(_("Token poller tidak sah.")) from None
        poller = Poller.objects.select_related("agency").filter(token_hash=token_hash(token)).first()
        if poller is None or poller.revoked_at is not None:
            raise AuthenticationFailed(_("Token poller tidak dikenal atau sudah dicabut."))
        return AnonymousUser(), poller

    def authenticate_header(self, request):
        return 'Bearer realm="simpul-poller"'


class PollerTokenScheme(OpenApiAuthenticationExtension):
    target_class = PollerTokenAuthentication
    name = "pollerToken"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "description": "A remote poller's token (createpoller)."}


def plain_http_allowed(address: str | None) -> bool:
    """Whether plain HTTP may carry the protocol to or from `address` (POLLER_PLAIN_HTTP_NETWORKS)."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in network for network in settings.POLLER_PLAIN_HTTP_NETWORKS)


class IsPollerOverTls(BasePermission):
    """A poller's token, over HTTPS, or plain HTTP from a network the settings allow (a test, a lab)."""

    message = _("Poller wajib memakai HTTPS: penugasan membawa rahasia SNMP.")
    code = "tls_required"

    def has_permission(self, request, view):
        if not isinstance(request.auth, Poller):
            return False
        return request.is_secure() or plain_http_allowed(client_ip(request))


class PollerThrottle(SimpleRateThrottle):
    scope = "poller"

    def get_rate(self):
        return settings.POLLER_RATE

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


class PollerView(APIView):
    parser_classes = [JSONParser]
    authentication_classes = [PollerTokenAuthentication]
    permission_classes = [IsPollerOverTls]
    throttle_classes = [PollerThrottle]


_ERRORS = {
    401: OpenApiResponse(description="No token, or an unknown or revoked one."),
    403: OpenApiResponse(description="Plain HTTP from outside POLLER_PLAIN_HTTP_NETWORKS."),
    429: OpenApiResponse(description="Too many requests from this poller; Retry-After says when to retry."),
}


class AssignmentView(PollerView):
    @extend_schema(
        tags=["pollers"],
        summary="A remote poller's assignment (PROTOCOL.md)",
        responses={200: OpenApiTypes.OBJECT, 304: OpenApiResponse(description="Unchanged (If-None-Match)."), **_ERRORS},
    )
    def get(self, request):
        payload, etag = assignment_payload(request.auth)
        if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": etag})
        return Response(payload, headers={"ETag": etag, "Cache-Control": "no-store"})


_RESULT_FIELDS = {
    "seq": serializers.IntegerField(min_value=1),
    "asset": serializers.IntegerField(min_value=1),
    "at": serializers.DateTimeField(),
    "source": serializers.ChoiceField(["icmp", "snmp"]),
    "verdict": serializers.ChoiceField(["up", "degraded", "down", "error"]),
    "reason": serializers.CharField(max_length=1000, required=False, allow_blank=True),
    "rtt_ms": serializers.FloatField(allow_null=True, required=False, min_value=0),
    "rtt_max_ms": serializers.FloatField(allow_null=True, required=False, min_value=0),
    "loss": serializers.FloatField(allow_null=True, required=False, min_value=0, max_value=1),
    "sys_uptime": serializers.IntegerField(allow_null=True, required=False, min_value=0),
    "sys_name": serializers.CharField(allow_null=True, required=False, max_length=1000, allow_blank=True),
    "snmp_auth_error": serializers.CharField(required=False, max_length=1000, allow_blank=True),
}


class ResultsView(PollerView):
    @extend_schema(
        tags=["pollers"],
        summary="Results shipped by a remote poller, and its heartbeat (PROTOCOL.md)",
        request=inline_serializer(
            "PollerResultBatch",
            {
                "version": serializers.CharField(max_length=40, required=False, allow_blank=True),
                "backlog": serializers.IntegerField(min_value=0, required=False),
                "dropped": serializers.IntegerField(min_value=0, required=False),
                "results": inline_serializer("PollerResult", _RESULT_FIELDS, many=True),
            },
        ),
        responses={
            200: inline_serializer(
                "PollerResultAnswer",
                {
                    "recorded_through": serializers.IntegerField(),
                    "recorded": serializers.IntegerField(),
                    "duplicates": serializers.IntegerField(),
                },
            ),
            400: OpenApiResponse(description="A malformed batch; `errors` names each bad place."),
            413: OpenApiResponse(description="Above POLLER_MAX_BATCH results or POLLER_MAX_BATCH_BYTES bytes."),
            **_ERRORS,
        },
    )
    def post(self, request):
        if int(request.META.get("CONTENT_LENGTH") or 0) > settings.POLLER_MAX_BATCH_BYTES:
            raise PayloadTooLarge(_("Paling banyak %(n)d bita per kiriman.") % {"n": settings.POLLER_MAX_BATCH_BYTES})
        results = request.data.get("results") if isinstance(request.data, dict) else None
        if isinstance(results, list) and len(results) > settings.POLLER_MAX_BATCH:
            raise PayloadTooLarge(_("Paling banyak %(n)d hasil per kiriman.") % {"n": settings.POLLER_MAX_BATCH})
        try:
            batch = batch_from_wire(request.data)
        except WireError as error:
            raise serializers.ValidationError(error.errors) from None
        try:
            done = ingest_batch(poller_id=request.auth.pk, batch=batch, now=timezone.now())
        except OutsideAssignment as refusal:  # ingest_batch's transaction wrote nothing
            return Response(
                {
                    "detail": _("Hasil untuk aset di luar penugasan poller ini; tidak ada yang dicatat."),
                    "errors": {f"results[{i}].asset": _("di luar penugasan") for i in refusal.refused},
                    "refused_seqs": sorted(refusal.refused.values()),
                },
                status=status.HTTP_403_FORBIDDEN,
            )
        return Response(
            {"recorded_through": done.recorded_through, "recorded": done.recorded, "duplicates": done.duplicates}
        )
