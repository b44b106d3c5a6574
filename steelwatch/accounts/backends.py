"""Password login with lock-outs that cannot be used to lock someone out from afar or to tell accounts apart.

Failures are counted in three scopes within `LOGIN_LOCKOUT_MINUTES`: the pair (account, client address) —
`LOGIN_FAILURE_LIMIT`, so a stranger guessing one account locks only himself out of it; the client address —
`LOGIN_CLIENT_FAILURE_LIMIT`, whatever names it tries; the account — `LOGIN_ACCOUNT_FAILURE_LIMIT`, guessing
spread over many addresses. An unknown username is counted and locked exactly like a known one, Django's
ModelBackend runs the password hasher on a dummy for it, and the answer is the same message either way.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.utils import timezone
from django.utils.crypto import salted_hmac

from steelwatch.core.clients import client_address

from .models import LoginFailure

Scope = LoginFailure.Scope


def _keys(request, username: str) -> dict[str, str]:
    name = (username or "").strip().lower()
    client = client_address(request) if request is not None else ""
    digest = lambda text: salted_hmac("steelwatch.login-failure", text, algorithm="sha256").hexdigest()  # noqa: E731
    return {
        Scope.PAIR: digest(f"pair:{name}|{client}"),
        Scope.CLIENT: digest(f"client:{client}"),
        Scope.ACCOUNT: digest(f"account:{name}"),
    }


def _limits() -> dict[str, int]:
    return {
        Scope.PAIR: settings.LOGIN_FAILURE_LIMIT,
        Scope.CLIENT: settings.LOGIN_CLIENT_FAILURE_LIMIT,
        Scope.ACCOUNT: settings.LOGIN_ACCOUNT_FAILURE_LIMIT,
    }


def locked_until(request, username: str):
    """When the lock on this login attempt ends (None: not locked)."""
    window = timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    since = timezone.now() - window
    ends = []
    for scope, key in _keys(request, username).items():
        recent = LoginFailure.objects.filter(scope=scope, key=key, at__gte=since)
        if recent.count() >= _limits()[scope]:
            ends.append(recent.aggregate(last=Max("at"))["last"] + window)
    return max(ends) if ends else None


def record_failure(request, username: str) -> None:
    now = timezone.now()
    LoginFailure.objects.filter(at__lt=now - timedelta(days=1)).delete()
    LoginFailure.objects.bulk_create(
        LoginFailure(scope=scope, key=key, at=now) for scope, key in _keys(request, username).items()
    )


def account_failures_clear(username: str) -> None:
    """A manager's password reset lifts the account-wide lock (the per-client counts stay with their clients)."""
    LoginFailure.objects.filter(scope=Scope.ACCOUNT, key=_keys(None, username)[Scope.ACCOUNT]).delete()


class LockoutModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        until = locked_until(request, username)
        if until is not None:
            if request is not None:
                request.login_locked_until = until
            raise PermissionDenied("locked")  # stops the chain: no backend may log a locked login in
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            record_failure(request, username)
            return None
        LoginFailure.objects.filter(scope=Scope.PAIR, key=_keys(request, username)[Scope.PAIR]).delete()
        return user
