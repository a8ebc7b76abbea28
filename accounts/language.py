"""The interface language a person chose (the EN/ID switch), kept on their profile (User.language).

The switch stores the choice for a signed-in person; a choice made before signing in (on the login page) is
kept at login when they have none yet. Every request of a signed-in person then speaks their language, pages
and API alike (accounts.authentication applies it to token requests too).

Without a choice, pages are Indonesian whatever language the browser asks for: many offices' computers run an
English browser for people who read Indonesian first, so only the switch (its cookie) turns a page English.
API clients may still ask for English with Accept-Language, as Django's LocaleMiddleware lets them; a page's own
fetches (signed in by the session) speak as the page does.
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from accounts.models import User

KNOWN = {code for code, _name in settings.LANGUAGES}


def of_address(email: str) -> str:
    """The language to write to an email address in: its person's choice, Indonesian for anyone else (an
    agency's shared notification address)."""
    person = User.objects.filter(email__iexact=email, is_active=True).order_by("pk").first()
    return person.message_language if person else settings.LANGUAGE_CODE


def apply(request, user) -> bool:
    """Speak `user`'s chosen language for the rest of this request; False when they have not chosen one."""
    if user.is_authenticated and user.language in KNOWN:
        _speak(request, user.language)
        return True
    return False


def _speak(request, language: str) -> None:
    translation.activate(language)
    request.LANGUAGE_CODE = language


def user_language_middleware(get_response):
    """After AuthenticationMiddleware: a signed-in person's choice wins over the cookie and the browser; a page
    nobody chose a language for is Indonesian."""

    def middleware(request):
        chose = apply(request, request.user) or request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) in KNOWN
        # A page's own fetches (signed in by its session) speak as the page does; only API clients with a token
        # (not yet known here) or none follow Accept-Language.
        by_session = request.user.is_authenticated
        if not chose and (by_session or not request.path.startswith("/api/")):
            _speak(request, settings.LANGUAGE_CODE)
        return get_response(request)

    return middleware


def remember(user, language: str) -> None:
    """Keep `language` as `user`'s choice (an unknown code is ignored: Django's switch ignores it too)."""
    if language in KNOWN and user.language != language:
        user.language = language
        user.save(update_fields=["language"])


@require_POST
def set_language(request):
    """Django's switch (cookie, redirect to `next`), remembered on the profile of a signed-in person."""
    response = django_set_language(request)
    if request.user.is_authenticated:
        remember(request.user, request.POST.get("language"))
    return response


@receiver(user_logged_in)
def keep_language_chosen_before_login(sender, request, user, **kwargs) -> None:
    """A language picked on the login page becomes the profile's, unless the person already chose one."""
    if request is None:
        return
    if not user.language:
        remember(user, request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
    apply(request, user)
