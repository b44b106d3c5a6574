"""Every page needs a login except the public ones (login, the public tip channel, the API), and a user given a
temporary password changes it before anything else; the language is Chinese unless the user chose another."""

import logging
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect, resolve_url
from django.utils.translation import gettext as _

from .clients import peer_is_trusted

PUBLIC_PREFIXES = ("/accounts/login", "/public/", "/api/", "/static/", "/i18n/", "/healthz")
# Pages open to a user who must first change the temporary password they were given (the second factor,
# when required, comes first: its pages stay open).
PASSWORD_CHANGE_PREFIXES = (
    "/accounts/password/",
    "/accounts/logout/",
    "/accounts/otp/",
    "/static/",
    "/i18n/",
)


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


API_PREFIX = "/api/"
api_logger = logging.getLogger("steelwatch.api")
API_ERRORS = {
    400: "请求无效",
    401: "未认证：请在 Authorization 头中提供 Bearer 令牌",
    403: "无权执行此操作",
    404: "Not Found",
    405: "不支持该请求方法",
    413: "请求内容过大",
    500: "服务器内部错误，已记录；请稍后重试",
}


class ApiJsonErrorsMiddleware:
    """Every error under /api/ is JSON (`{"detail": ...}`): django-ninja's own handlers answer most; this
    catches what escapes them — an unmatched URL, a method not allowed, an uncaught exception (500, logged
    by type and path only) — so that no HTML error page is ever sent to an API client."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path.startswith(API_PREFIX)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            json_response = JsonResponse(
                {"detail": API_ERRORS.get(response.status_code, response.reason_phrase)},
                status=response.status_code,
                json_dumps_params={"ensure_ascii": False},
            )
            if response.has_header("Allow"):
                json_response["Allow"] = response["Allow"]
            return json_response
        return response

    def process_exception(self, request, exception):
        if not request.path.startswith(API_PREFIX):
            return None
        from django.core.exceptions import PermissionDenied
        from django.http import Http404

        if isinstance(exception, Http404):
            return JsonResponse({"detail": API_ERRORS[404]}, status=404)
        if isinstance(exception, PermissionDenied):
            return JsonResponse(
                {"detail": API_ERRORS[403]}, status=403, json_dumps_params={"ensure_ascii": False}
            )
        api_logger.error("API 错误 %s %s：%s", request.method, request.path, type(exception).__name__)
        return JsonResponse(
            {"detail": API_ERRORS[500]}, status=500, json_dumps_params={"ensure_ascii": False}
        )
