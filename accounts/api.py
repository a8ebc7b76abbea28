"""The token endpoint: the login page's lock-out (django-axes, per username and client address) and a
throttle per client address, so a password guesser is stopped whether it tries one username or many."""

from axes.helpers import get_lockout_message
from axes.utils import reset as axes_reset
from django.conf import settings
from rest_framework import status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

from simpul.api import StrictJSONMixin
from simpul.client_ip import client_ip
from simpul.renderers import JSONRenderer


class TokenThrottle(AnonRateThrottle):
    scope = "token"

    def get_ident(self, request):
        return client_ip(request)


class TokenRequestSerializer(StrictJSONMixin, AuthTokenSerializer):
    """Username and password; as JSON, both text."""


class ThrottledObtainAuthToken(ObtainAuthToken):
    throttle_classes = [TokenThrottle]
    serializer_class = TokenRequestSerializer
    # ObtainAuthToken names its own parsers and renderer; the project's refuse deep or broken JSON.
    parser_classes = api_settings.DEFAULT_PARSER_CLASSES
    renderer_classes = [JSONRenderer]

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        # Refusals are returned, never raised: a raised error rolls back the request's transaction
        # (ATOMIC_REQUESTS), and with it axes' record of the failure, so the lock-out would never come.
        if not serializer.is_valid():
            # axes flags the request it authenticated, DRF's, which its middleware never sees: answer here
            # with the login page's status and message (a right password is refused too while locked out).
            if getattr(request, "axes_locked_out", False):
                return Response({"detail": get_lockout_message()}, status=settings.AXES_HTTP_RESPONSE_CODE)
            return Response(serializer.errors, status=status.HTTP_400_BAD_REQUEST)
        user = serializer.validated_data["user"]
        if settings.AXES_RESET_ON_SUCCESS:  # as a login on the page does (AXES_LOCKOUT_PARAMETERS: user + IP)
            axes_reset(ip=client_ip(request), username=user.get_username())
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
