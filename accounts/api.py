"""The token endpoint: the login page's lock-out (django-axes, per username and client address) and a
throttle per client address, so a password guesser is stopped whether it tries one username or many."""

from axes.helpers import get_lockout_message
from axes.utils import reset as axes_reset
from django.conf import settings
from django.db import transaction
from django.utils.decorators import method_decorator
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from simpul.client_ip import client_ip


class TokenThrottle(AnonRateThrottle):
    scope = "token"

    def get_ident(self, request):
        return client_ip(request)


# Outside the request transaction (ATOMIC_REQUESTS): the 400 of a wrong password rolled back axes' record of
# the failure with it, so the lock-out never came. The view writes nothing else that must be all-or-nothing:
# axes commits its record in its own transaction, the token is one row.
@method_decorator(transaction.non_atomic_requests, name="dispatch")
class ThrottledObtainAuthToken(ObtainAuthToken):
    throttle_classes = [TokenThrottle]

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            # axes flags the request it authenticated, DRF's, which its middleware never sees: answer here
            # with the login page's status and message (a right password is refused too while locked out).
            if getattr(request, "axes_locked_out", False):
                return Response({"detail": get_lockout_message()}, status=settings.AXES_HTTP_RESPONSE_CODE)
            raise ValidationError(serializer.errors)
        user = serializer.validated_data["user"]
        if settings.AXES_RESET_ON_SUCCESS:  # as a login on the page does (AXES_LOCKOUT_PARAMETERS: user + IP)
            axes_reset(ip=client_ip(request), username=user.get_username())
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
