"""Token authentication that speaks the person's chosen language, as the session's middleware does for pages.

DRF authenticates tokens inside the view, after every middleware has run, so accounts.language's middleware
only sees an anonymous user there."""

from rest_framework import authentication

from accounts.language import apply


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate(self, request):
        found = super().authenticate(request)
        if found is not None:
            apply(request, found[0])
        return found
