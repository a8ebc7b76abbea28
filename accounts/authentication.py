"""Token authentication that speaks the person's chosen language, as the session's middleware does for pages.

DRF authenticates tokens inside the view, after every middleware has run, so accounts.language's middleware
only sees an anonymous user there."""

from contextlib import suppress

from rest_framework import authentication, exceptions

from accounts.language import apply


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate(self, request):
        found = super().authenticate(request)
        if found is not None:
            apply(request, found[0])
        return found


def apply_token_language(request) -> None:
    """For an answer no DRF view gives (an unknown /api/ URL): the token's person's language all the same."""
    with suppress(exceptions.AuthenticationFailed):  # no person, no choice: the browser's language stays
        TokenAuthentication().authenticate(request)
