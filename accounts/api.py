"""The token endpoint, throttled per client address: a password guesser gets 429 long before a lockout."""

from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.throttling import AnonRateThrottle


class TokenThrottle(AnonRateThrottle):
    scope = "token"


class ThrottledObtainAuthToken(ObtainAuthToken):
    throttle_classes = [TokenThrottle]
