"""After the password, the second factor: users with a confirmed device verify it, users whose capabilities
require one (roles.SECOND_FACTOR_CAPABILITIES) enrol first; nothing else opens until then."""

from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from .second_factor import must_verify

EXEMPT = ("/accounts/", "/static/", "/i18n/", "/public/", "/api/")


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(EXEMPT):
            step = must_verify(request.user)
            if step:
                target = reverse("accounts:otp_verify" if step == "verify" else "accounts:otp_setup")
                return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
