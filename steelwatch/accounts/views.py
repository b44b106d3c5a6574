"""Login, the second factor and the forced first-login password change. The people pages (users of a
jurisdiction, departments) pick divisions and grids from the tree above accounts: they live in geo.people_views."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from . import second_factor
from .forms import ForcedPasswordChangeForm, LockoutAuthenticationForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LockoutAuthenticationForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = ForcedPasswordChangeForm
    success_url = reverse_lazy("core:home")

    def form_valid(self, form):
        user = form.save()
        update_session_auth_hash(self.request, user)
        messages.success(self.request, _("密码已修改"))
        return redirect(self.success_url)


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    return (
        target if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()) else "/"
    )


@never_cache
@sensitive_post_parameters("token")
@require_http_methods(["GET", "POST"])
def otp_setup(request):
    """Enrol a TOTP authenticator: scan the QR code (or type the key), confirm with a code; recovery codes
    are shown once."""
    device = second_factor.pending_totp(request.user)
    error = ""
    if request.method == "POST":
        try:
            codes = second_factor.second_factor_enrol(
                user=request.user, device=device, token=request.POST.get("token", "")
            )
        except ValidationError as exc:
            error = "；".join(exc.messages)
        else:
            otp_login(request, device)
            return render(request, "accounts/otp_codes.html", {"codes": codes, "next": _next(request)})
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "qr": second_factor.qr_data_uri(device),
            "secret": _base32(device),
            "error": error,
            "next": _next(request),
            "required": second_factor.must_verify(request.user) == "enrol",
        },
    )


def _base32(device) -> str:
    import base64

    return base64.b32encode(device.bin_key).decode().rstrip("=")


@never_cache
@sensitive_post_parameters("token")
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    """The second step after the password: a code from the authenticator app, or a recovery code."""
    if second_factor.must_verify(request.user) != "verify":
        return redirect(_next(request))
    error = ""
    if request.method == "POST":
        device = second_factor.second_factor_match(request.user, request.POST.get("token", ""))
        if device is not None:
            otp_login(request, device)
            return redirect(_next(request))
        error = second_factor.WRONG_CODE
    return render(request, "accounts/otp_verify.html", {"error": error, "next": _next(request)})
