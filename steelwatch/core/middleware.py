"""Every page needs a login except the public ones (login, the public tip channel, the API), and a user given a
temporary password changes it before anything else; the language is Chinese unless the user chose another."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect, resolve_url

PUBLIC_PREFIXES = ("/accounts/login", "/public/", "/api/", "/static/", "/i18n/")
# Pages open to a user who must first change the temporary password they were given.
PASSWORD_CHANGE_PREFIXES = ("/accounts/password/", "/accounts/logout/", "/static/", "/i18n/")


class LoginRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated and not request.path.startswith(PUBLIC_PREFIXES):
            return redirect_to_login(request.get_full_path(), resolve_url(settings.LOGIN_URL))
        if (
            request.user.is_authenticated
            and getattr(request.user, "must_change_password", False)
            and not request.path.startswith(PASSWORD_CHANGE_PREFIXES + ("/api/", "/public/"))
        ):
            return redirect("accounts:password_change")
        return self.get_response(request)


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Chinese unless the user picked another language with the switcher (its cookie). A browser's
    Accept-Language is not a choice: an official whose browser is set to English still gets Chinese."""

    def process_request(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)
