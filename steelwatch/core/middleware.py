"""Every page needs a login except the public ones (login, the public tip channel, the API); the language is
Chinese unless the user chose another."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import resolve_url
from django.utils.translation import gettext as _

from .clients import peer_is_trusted

PUBLIC_PREFIXES = ("/accounts/login", "/public/", "/api/", "/static/", "/i18n/")


class LoginRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated and not request.path.startswith(PUBLIC_PREFIXES):
            return redirect_to_login(request.get_full_path(), resolve_url(settings.LOGIN_URL))
        return self.get_response(request)


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Chinese unless the user picked another language with the switcher (its cookie). A browser's
    Accept-Language is not a choice: an official whose browser is set to English still gets Chinese."""

    def process_request(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)


class TrustedProxyMiddleware:
    """X-Forwarded-Proto and X-Forwarded-For mean something only when a trusted reverse proxy set them
    (`STEELWATCH_TRUSTED_PROXIES`); from anyone else they are dropped before Django or the app reads them."""

    HEADERS = ("HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_HOST")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not peer_is_trusted(request):
            for header in self.HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)


class SessionTimeoutMiddleware:
    """A signed-in session ends after `SESSION_IDLE_SECONDS` without a request (each request slides it) and,
    whatever happens, `SESSION_COOKIE_AGE` after the login; the next request then goes to the login page."""

    SEEN, STARTED = "seen_at", "login_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.setdefault(self.STARTED, now)
            seen = session.get(self.SEEN, now)
            if now - seen > settings.SESSION_IDLE_SECONDS or now - started > settings.SESSION_COOKIE_AGE:
                logout(request)
                if request.path.startswith("/api/"):
                    return self.get_response(request)
                messages.info(request, _("长时间未操作，已自动退出，请重新登录"))
                return redirect_to_login(request.get_full_path(), resolve_url(settings.LOGIN_URL))
            if now - seen >= 30 or self.SEEN not in session:  # not a session write on every request
                session[self.SEEN] = now
        return self.get_response(request)
