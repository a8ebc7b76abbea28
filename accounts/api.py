"""The token endpoint, throttled per client address: a password guesser gets 429 long before a lockout."""

from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle

from simpul.api import StrictJSONMixin
from simpul.renderers import JSONRenderer


class TokenThrottle(AnonRateThrottle):
    scope = "token"


class TokenRequestSerializer(StrictJSONMixin, AuthTokenSerializer):
    """Username and password; as JSON, both text."""


class ThrottledObtainAuthToken(ObtainAuthToken):
    throttle_classes = [TokenThrottle]
    serializer_class = TokenRequestSerializer
    # ObtainAuthToken names its own parsers and renderer; the project's refuse deep or broken JSON.
    parser_classes = api_settings.DEFAULT_PARSER_CLASSES
    renderer_classes = [JSONRenderer]
